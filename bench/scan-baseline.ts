import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPlacesClient } from '../src-main/scan/places-api/client';
import { mapPlaceToLocalBusiness } from '../src-main/scan/places-api/map-to-local-business';

/**
 * The benchmark's baseline: the deep scan loop as a raw-SQL claim loop on the bare `pg` driver,
 * with no ORM, leases, retries, rate limit or events. Claim a batch with the CTE
 * (FOR UPDATE SKIP LOCKED), scan it with the same concurrency, finish each place in its own
 * transaction (upsert, then the token-guarded UPDATE; roll back when it matched nothing), and
 * claim again until the queue is empty. It uses the same Places client and mapping as the app.
 */

const CLAIM = `
  WITH picked AS (
    SELECT id FROM places_staging
    WHERE deep_scan_status = 'Queued' AND deep_scan_next_attempt_at <= now()
      AND status = 'Selected'
    ORDER BY deep_scan_next_attempt_at, id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  )
  UPDATE places_staging p SET
    deep_scan_status = 'Processing',
    deep_scan_attempts = p.deep_scan_attempts + 1,
    deep_scan_claim_token = $2,
    deep_scan_claimed_by = $3,
    deep_scan_lease_expires_at = now() + interval '60 seconds'
  FROM picked WHERE p.id = picked.id
  RETURNING p.id, p.place_id`;

const FINISH = `
  UPDATE places_staging SET
    deep_scan_status = 'Completed', deep_scan_error = NULL, deep_scan_completed_at = now(),
    deep_scan_claim_token = NULL, deep_scan_lease_expires_at = NULL, deep_scan_next_attempt_at = NULL
  WHERE id = $1 AND deep_scan_claim_token = $2 AND deep_scan_status = 'Processing'`;

const JSON_COLUMNS = new Set(['extra_categories', 'additional_json']);

export interface BaselineOptions {
  databaseUrl: string;
  placesBaseUrl: string;
  apiKey: string;
  batchSize: number;
  concurrency: number;
  workerId: string;
}

export async function runBaselineLoop(options: BaselineOptions): Promise<number> {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.concurrency + 2,
  });
  const client = createPlacesClient({ baseUrl: options.placesBaseUrl, apiKey: options.apiKey });
  let upsert: string | null = null;
  let columns: string[] = [];
  let finished = 0;

  async function scan(row: { id: number; place_id: string }, token: string) {
    const details = await client.fetchPlaceDetails(row.place_id);
    const fields = mapPlaceToLocalBusiness(row.place_id, details) as Record<string, unknown>;
    if (!upsert) {
      columns = Object.keys(fields);
      upsert = `INSERT INTO local_businesses (${columns.join(', ')})
        VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})
        ON CONFLICT (place_id) DO UPDATE SET ${columns
          .filter((c) => c !== 'place_id')
          .map((c) => `${c} = EXCLUDED.${c}`)
          .join(', ')}, updated_at = now()`;
    }
    const values = columns.map((c) =>
      JSON_COLUMNS.has(c) && fields[c] !== null ? JSON.stringify(fields[c]) : fields[c],
    );
    const connection = await pool.connect();
    try {
      await connection.query('BEGIN');
      await connection.query(upsert, values);
      const done = await connection.query(FINISH, [row.id, token]);
      await connection.query(done.rowCount === 1 ? 'COMMIT' : 'ROLLBACK');
      if (done.rowCount === 1) finished++;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      connection.release();
    }
  }

  try {
    for (;;) {
      const token = randomUUID();
      const { rows } = await pool.query<{ id: number; place_id: string }>(CLAIM, [
        options.batchSize,
        token,
        options.workerId,
      ]);
      if (rows.length === 0) return finished;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(options.concurrency, rows.length) }, async () => {
          while (next < rows.length) await scan(rows[next++]!, token);
        }),
      );
    }
  } finally {
    await pool.end();
  }
}
