import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaceStatus } from '../../../src-shared/domain';
import { loadSettings, type Settings } from '../../../src-main/config';
import { openPostgres, openSqlite, type Store } from '../../../src-main/db/store';
import { samplePlaces } from '../../../src-main/places/sample-data';
import { createPlacesService, placesRepositoryFor } from '../../../src-main/places/service';

import { createTestDatabase, type TestDatabase } from '../../support/stores';

export type StoreKind = 'postgres' | 'sqlite';

/** A temp folder for SQLite files, removed by `cleanup`. */
export function createTempFolder(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'se-scan-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * One store per kind for a test file: a fresh database (PostgreSQL) or file (SQLite) per call of
 * `open`, all removed in `cleanup`.
 */
export async function storeFactory(kind: StoreKind) {
  const opened: Store[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  let database: TestDatabase | null = null;
  let folder: { dir: string; cleanup(): void } | null = null;
  if (kind === 'postgres') {
    database = await createTestDatabase();
    cleanups.push(() => database!.drop());
  } else {
    folder = createTempFolder();
    cleanups.push(() => folder!.cleanup());
  }
  return {
    kind,
    /** Settings (env form) that point a worker process at this store. */
    env(): Record<string, string> {
      return kind === 'postgres'
        ? { DATABASE_URL: database!.url }
        : { SQLITE_PATH: join(folder!.dir, 'staging.sqlite') };
    },
    /** A new connection (pool) to the same store. */
    async open(poolSize = 10): Promise<Store> {
      const store =
        kind === 'postgres'
          ? await openPostgres(database!.url, { poolSize })
          : openSqlite(join(folder!.dir, 'staging.sqlite'));
      opened.push(store);
      return store;
    },
    /** Empties the tables between tests. */
    async reset(store: Store): Promise<void> {
      const tables = 'local_businesses, places_staging, scan_workers, places_api_calls';
      if (store.kind === 'postgres') {
        await store.pool.query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
        await store.pool.query(
          `UPDATE scan_control SET paused_until = NULL, pause_reason = NULL, daily_call_limit = NULL, rate_tokens = 0, rate_refilled_at = now() - interval '1 hour'`,
        );
        await store.pool.query(`UPDATE scan_counters SET value = 0`);
      } else {
        for (const table of tables.split(', ')) store.sqlite.exec(`DELETE FROM ${table}`);
        store.sqlite.exec(
          `UPDATE scan_control SET paused_until = NULL, pause_reason = NULL, daily_call_limit = NULL, rate_tokens = 0, rate_refilled_at = 0`,
        );
        store.sqlite.exec(`UPDATE scan_counters SET value = 0`);
      }
    },
    async cleanup(): Promise<void> {
      for (const store of opened.splice(0)) await store.close().catch(() => {});
      for (const fn of cleanups.splice(0)) await fn();
    },
  };
}
export type StoreFactory = Awaited<ReturnType<typeof storeFactory>>;

/** Settings as the app would load them from the environment. */
export function testSettings(env: Record<string, string | undefined>): Settings {
  return loadSettings({ LOG_LEVEL: 'silent', DEEP_SCAN_RATE_PER_SECOND: '10000', ...env });
}

/**
 * Inserts `count` sample places and queues them all for a deep scan the way reviewers do: sets
 * them to Selected (step 6 queues them), at most 10,000 ids per update; returns their ids.
 */
export async function queuePlaces(store: Store, count: number, seed = 7): Promise<string[]> {
  const places = createPlacesService(placesRepositoryFor(store));
  const ids: string[] = [];
  for (const chunk of samplePlaces(count, seed, 5000)) {
    await places.insertPlaces(chunk);
    ids.push(...chunk.map((p) => p.place_id));
  }
  for (let i = 0; i < ids.length; i += 10_000) {
    await setStatus(store, ids.slice(i, i + 10_000), 'Selected');
  }
  return ids;
}

/** A reviewer's status update (step 6) through the places service. */
export async function setStatus(store: Store, placeIds: string[], status: PlaceStatus) {
  const places = createPlacesService(placesRepositoryFor(store));
  return places.updateStatus({ place_ids: placeIds, status }, 'tester');
}

export interface PlaceScanRow {
  id: number;
  place_id: string;
  deep_scan_status: string | null;
  deep_scan_error: string | null;
  deep_scan_attempts: number;
  deep_scan_claimed_by: string | null;
  deep_scan_claim_token: string | null;
}

/**
 * The scan columns of every place, read with plain SQL. SQLite's queue writes a claim into the
 * place's row. PostgreSQL's writes a lease row (sql/pg/0019): there a Queued place with a lease
 * is Processing, its claim is the lease's, and its attempts count the attempt under way (as
 * SQLite's claim counts it), so the rows read the same on both engines.
 */
export async function scanRows(store: Store): Promise<PlaceScanRow[]> {
  if (store.kind === 'postgres') {
    const query = `SELECT p.id, p.place_id,
        CASE WHEN p.deep_scan_status = 'Queued' AND l.place_row IS NOT NULL THEN 'Processing'
          ELSE p.deep_scan_status END AS deep_scan_status,
        p.deep_scan_error,
        CASE WHEN p.deep_scan_status = 'Queued' AND l.place_row IS NOT NULL THEN l.attempt
          ELSE p.deep_scan_attempts END AS deep_scan_attempts,
        COALESCE(l.claimed_by, p.deep_scan_claimed_by) AS deep_scan_claimed_by,
        COALESCE(l.claim_token, p.deep_scan_claim_token) AS deep_scan_claim_token
      FROM places_staging p LEFT JOIN deep_scan_leases l ON l.place_row = p.id ORDER BY p.id`;
    return (await store.pool.query<PlaceScanRow>(query)).rows;
  }
  const query = `SELECT id, place_id, deep_scan_status, deep_scan_error, deep_scan_attempts,
      deep_scan_claimed_by, deep_scan_claim_token FROM places_staging ORDER BY id`;
  return store.sqlite.prepare(query).all() as PlaceScanRow[];
}

/**
 * Moves the lease of every place being scanned (or of the place with row id `id`) into the
 * past, as if its worker had died: PostgreSQL's leases are rows of deep_scan_leases, SQLite's
 * are a column of the place.
 */
export async function expireLeases(store: Store, id?: number): Promise<void> {
  if (store.kind === 'postgres') {
    await store.pool.query(
      `UPDATE deep_scan_leases SET expires_at = now() - interval '1 second'
       WHERE $1::int IS NULL OR place_row = $1::int`,
      [id ?? null],
    );
  } else {
    store.sqlite
      .prepare(
        `UPDATE places_staging SET deep_scan_lease_expires_at = 0
         WHERE deep_scan_status = 'Processing' AND (? IS NULL OR id = ?)`,
      )
      .run(id ?? null, id ?? null);
  }
}

/** Runs one SQL statement with positional parameters on either engine ($1 / ?). */
export async function rawQuery<T>(
  store: Store,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (store.kind === 'postgres') return (await store.pool.query(text, params)).rows as T[];
  const statement = store.sqlite.prepare(text.replace(/\$\d+/g, '?'));
  return statement.reader ? (statement.all(...params) as T[]) : (statement.run(...params), []);
}

export function countBy<T>(rows: T[], key: (row: T) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const k = key(row) ?? 'none';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export async function waitFor<T>(
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
