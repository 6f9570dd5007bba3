import { randomUUID } from 'node:crypto';
import type { SyncMutation } from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import type { PgStore } from '../../src-main/db/store';

/** An offline decision as a client would push it. */
export function mutation(
  placeId: string,
  target: PlaceStatus,
  base: number,
  userId: string,
  mutationId: string = randomUUID(),
): SyncMutation {
  return {
    mutation_id: mutationId,
    place_id: placeId,
    target_status: target,
    base_revision: base,
    user_id: userId,
    client_time: '2026-12-01T09:00:00.000Z',
  };
}

/** UUIDs from a seed (for batches that two runs must share). */
export function seededUuid(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface PlaceRowState {
  place_id: string;
  status: string;
  status_revision: number;
  deep_scan_status: string | null;
  deep_scan_queued_at: Date | null;
  updated_at: Date;
  updated_by: string | null;
}

/** Every place's reviewer and scan state, by place id. */
export async function placeStates(store: PgStore): Promise<Map<string, PlaceRowState>> {
  const { rows } = await store.pool.query<PlaceRowState>(
    // A Queued place with a lease is Processing (sql/pg/0019).
    `SELECT place_id, status, status_revision,
            CASE WHEN deep_scan_status = 'Queued'
              AND EXISTS (SELECT 1 FROM deep_scan_leases l WHERE l.place_row = p.id)
              THEN 'Processing' ELSE deep_scan_status END AS deep_scan_status,
            deep_scan_queued_at, updated_at, updated_by
     FROM places_staging p ORDER BY place_id`,
  );
  return new Map(rows.map((r) => [r.place_id, r]));
}

export async function revisionOf(store: PgStore, placeId: string): Promise<number> {
  const { rows } = await store.pool.query<{ status_revision: number }>(
    'SELECT status_revision FROM places_staging WHERE place_id = $1',
    [placeId],
  );
  return rows[0]!.status_revision;
}

export interface AppliedRow {
  mutation_id: string;
  outcome: string;
  result: unknown;
}

export async function appliedRows(store: PgStore): Promise<AppliedRow[]> {
  const { rows } = await store.pool.query<AppliedRow>(
    'SELECT mutation_id, outcome, result FROM applied_mutations ORDER BY mutation_id',
  );
  return rows;
}

export async function insertPlaces(store: PgStore, ids: string[]): Promise<void> {
  await store.pool.query(
    `INSERT INTO places_staging (place_id, name) SELECT id, 'Place ' || id FROM unnest($1::text[]) AS id`,
    [ids],
  );
}
