import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import type pg from 'pg';
import * as pgSchema from '../db/schema.pg';
import type { PgStore, SqliteStore } from '../db/store';
import { pendingDecisions as outboxHook } from './outbox';

/**
 * Pulls changes from the shared PostgreSQL store into this machine's SQLite replica (issue 8).
 *
 * The feed: `sync_changes` on PostgreSQL (sql/pg/0007) holds, per place, the id of the last
 * transaction that wrote the place or its local_businesses row (or deleted it). A pull reads it in
 * keyset order (change_xid, place_id), a page at a time, each page in its own short REPEATABLE
 * READ transaction that also reads the places and businesses as of the same snapshot.
 *
 * The cursor: the first page of a pass reads `pg_snapshot_xmin(pg_current_snapshot())` as the
 * first statement of its transaction, so of the very snapshot its rows come from. Every
 * transaction with a lower id had ended by then; their changes are read by this pass (a later
 * page's snapshot is later still, and an entry whose place is written again only moves to a
 * higher id, which the next pass reads). A transaction still running then (one that wrote first
 * and commits last) has an id >= that xmin: the next pass reads it. When the pass ends the xmin
 * becomes the cursor. Changes may be read twice; the replica upserts whole rows, so that is
 * harmless. A pass reads ids below the snapshot's xmax only, so it ends under a steady stream
 * of writes.
 *
 * Rows and cursor together: each page's rows and the pass position (or, after the last page,
 * the new cursor) are written in ONE SQLite transaction. A crash loses nothing and repeats at
 * most the page it was applying. Before writing, the transaction checks that the replica's pull
 * state is still the one this page was read for, so two pulls on one replica cannot interleave
 * (the second stops with an error).
 *
 * Deletions: a place deleted on the server keeps its sync_changes entry; the pull sees the entry
 * without a place and deletes the replica's copy (its business goes with it, ON DELETE CASCADE).
 *
 * The replica is a SQLite store with the same schema: rows are upserted by place_id, with the
 * replica's own `id`. It must not run the deep scan scheduler in team mode (scans are the shared
 * store's work; a replica scanning would write results the next pull overwrites).
 */

export const PULL_STREAM = 'pull';

export interface PullProgress {
  /** Changes applied so far by this call. */
  done: number;
  /** Estimated changes this call has to apply (counted when it starts). */
  total: number;
}

export interface PullOptions {
  /** Changes per page (per PostgreSQL read and per SQLite transaction); default 5000. */
  pageSize?: number;
  onProgress?: (progress: PullProgress) => void;
  /**
   * Pull only places whose search_location is one of these (null or absent: every place). When
   * the list differs from the last pull's, the pull starts over from the beginning (cursor 0)
   * and first removes the replica's places outside the new list. A place that leaves the list on
   * the server (its search_location changed) is removed from the replica by the next pull.
   */
  locations?: readonly string[] | null;
  /**
   * The outbox's hook: of these place ids, the ones with an unsent local decision. Called inside
   * the SQLite transaction that applies the page (so it may read the outbox's tables, and sees
   * them as the apply does). Such places keep their local row untouched; the server's version
   * goes to `sync_server_places` instead (JSON, NULL when gone or out of the locations). Their
   * local_businesses row is still updated (scan results are not a decision). Default: the
   * replica's own outbox (outbox.ts `pendingDecisions`); tests pass their own.
   */
  pendingDecisions?: (placeIds: readonly string[]) => ReadonlySet<string>;
  /** For tests: called after a page was read from PostgreSQL, before it is applied. */
  afterRead?: (page: { changes: number; first: boolean }) => Promise<void> | void;
}

export interface PullResult {
  /** Changes applied (places upserted, removed or set aside). */
  applied: number;
  pages: number;
  /** The cursor stored at the end. */
  cursor: string;
}

interface SyncStateRow {
  cursor: string;
  pass_target: string | null;
  pass_limit: string | null;
  pass_after_xid: string | null;
  pass_after_place_id: string | null;
  locations: string | null;
}

/** The columns copied from PostgreSQL, in order: all but the local `id`. */
const copied = (table: typeof pgSchema.placesStaging | typeof pgSchema.localBusinesses) =>
  Object.values(getTableColumns(table) as Record<string, Column>).filter((c) => c.name !== 'id');
const PLACE_COLUMNS = copied(pgSchema.placesStaging);
const BUSINESS_COLUMNS = copied(pgSchema.localBusinesses);
const PLACES = getTableName(pgSchema.placesStaging);
const BUSINESSES = getTableName(pgSchema.localBusinesses);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A column as PostgreSQL sends it, already in the replica's form (epoch ms, JSON text). */
function pgValue(alias: string, column: Column): string {
  const ref = `${alias}.${quote(column.name)}`;
  const type = column.getSQLType();
  if (type.startsWith('timestamp')) return `floor(extract(epoch FROM ${ref}) * 1000)::float8`;
  if (type === 'jsonb') return `${ref}::text`;
  return ref;
}

/** Columns of a page row: xid, place_id, kind, the place, has_business, the business. */
const SELECT_LIST = [
  'c.change_xid::text',
  'c.place_id',
  `CASE WHEN p.place_id IS NULL THEN 'gone'
        WHEN $5::text[] IS NULL OR p.search_location = ANY($5::text[]) THEN 'row'
        ELSE 'out' END`,
  ...PLACE_COLUMNS.map((c) => pgValue('p', c)),
  'b.place_id IS NOT NULL',
  ...BUSINESS_COLUMNS.map((c) => pgValue('b', c)),
].join(',\n  ');
const KIND = 2;
const PLACE_AT = 3;
const HAS_BUSINESS = PLACE_AT + PLACE_COLUMNS.length;
const BUSINESS_AT = HAS_BUSINESS + 1;

/**
 * $1 cursor, $2 upper bound (the pass's xmax), $3/$4 the last change applied (NULL at the start
 * of a pass), $5 locations (NULL: all), $6 whether to send places outside the locations (so the
 * replica drops its copy), $7 page size. Places gone from the server always come (as 'gone').
 */
const FROM_WHERE = (after: boolean) => `
FROM sync_changes c
LEFT JOIN ${quote(PLACES)} p ON p.place_id = c.place_id
LEFT JOIN ${quote(BUSINESSES)} b ON b.place_id = c.place_id
WHERE c.change_xid >= $1::xid8 AND c.change_xid < $2::xid8
  ${after ? 'AND (c.change_xid, c.place_id) > ($3::xid8, $4::text)' : 'AND $3::xid8 IS NULL AND $4::text IS NULL'}
  AND ($5::text[] IS NULL OR $6::boolean OR p.place_id IS NULL OR p.search_location = ANY($5::text[]))`;
const PAGE_SQL = (after: boolean) =>
  `SELECT ${SELECT_LIST}${FROM_WHERE(after)}\nORDER BY c.change_xid, c.place_id\nLIMIT $7`;
const COUNT_SQL = (after: boolean) => `SELECT count(*)::float8 AS n${FROM_WHERE(after)}`;

const SNAPSHOT_SQL = `SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax
  FROM pg_current_snapshot() AS s`;

type PageRow = unknown[];

interface Page {
  rows: PageRow[];
  target: string;
  limit: string;
  total?: number;
}

const sameLocations = (stored: string | null, wanted: readonly string[] | null) =>
  stored === (wanted ? JSON.stringify([...new Set(wanted)].sort()) : null);

/**
 * When it returns, every change committed before the call began is in the replica (a pass left
 * unfinished by an earlier call is finished first, then a pass of its own is made).
 */
export async function pullChanges(
  pgStore: PgStore,
  replica: SqliteStore,
  options: PullOptions = {},
): Promise<PullResult> {
  const pageSize = options.pageSize ?? 5000;
  // Every replica has the outbox (sql 0008): by default its unanswered decisions are kept, so no
  // caller can forget them and overwrite a reviewer's decision with the server's row.
  const pending = options.pendingDecisions ?? outboxHook(replica.sqlite);
  const locations = options.locations ? [...new Set(options.locations)].sort() : null;
  const statements = prepareReplica(replica);
  statements.ensureState.run(PULL_STREAM);
  if (!sameLocations(statements.readState().locations, locations)) {
    resetForLocations(replica, statements, locations, pending);
  }

  let applied = 0;
  let pages = 0;
  let total = 0;
  // A pass this call began: an interrupted pass (a crash, a kill) is finished first, but its
  // snapshot is older than this call, so another pass follows it.
  let ownPass = false;
  for (;;) {
    const state = statements.readState();
    const startsPass = state.pass_target === null;
    ownPass ||= startsPass;
    const page = await readPage(pgStore, state, locations, pageSize, startsPass || pages === 0);
    if (page.total !== undefined) total = applied + page.total;
    await options.afterRead?.({ changes: page.rows.length, first: startsPass });
    const last = page.rows.at(-1);
    const finished = page.rows.length < pageSize;
    const apply = replica.sqlite.transaction(() => {
      const now = statements.readState();
      if (
        now.cursor !== state.cursor ||
        now.pass_target !== state.pass_target ||
        now.pass_after_xid !== state.pass_after_xid ||
        now.pass_after_place_id !== state.pass_after_place_id ||
        now.locations !== state.locations
      ) {
        throw new Error('Another pull changed this replica while this one ran; try again.');
      }
      applyRows(statements, page.rows, pending);
      if (finished) {
        statements.finishPass.run({ name: PULL_STREAM, cursor: page.target, now: Date.now() });
      } else {
        statements.advancePass.run({
          name: PULL_STREAM,
          target: page.target,
          limit: page.limit,
          xid: last![0] as string,
          place: last![1] as string,
        });
      }
    });
    apply.immediate();
    applied += page.rows.length;
    pages++;
    options.onProgress?.({ done: applied, total: Math.max(total, applied) });
    if (finished && ownPass) return { applied, pages, cursor: page.target };
  }
}

async function readPage(
  pgStore: PgStore,
  state: SyncStateRow,
  locations: string[] | null,
  pageSize: number,
  count: boolean,
): Promise<Page> {
  const client = await pgStore.pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      // The first statement: it takes the snapshot the rows below are read from.
      const snapshot = await client.query<{ xmin: string; xmax: string }>(SNAPSHOT_SQL);
      const target = state.pass_target ?? snapshot.rows[0]!.xmin;
      const limit = state.pass_limit ?? snapshot.rows[0]!.xmax;
      const after = state.pass_after_xid !== null;
      const params = [
        state.cursor,
        limit,
        state.pass_after_xid,
        state.pass_after_place_id,
        locations,
        state.cursor !== '0',
      ];
      const { rows } = await client.query<PageRow>({
        text: PAGE_SQL(after),
        values: [...params, pageSize],
        rowMode: 'array',
      });
      let total: number | undefined;
      if (count) {
        total = rows.length < pageSize ? rows.length : await countChanges(client, after, params);
      }
      await client.query('COMMIT');
      return { rows, target, limit, total };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

async function countChanges(client: pg.PoolClient, after: boolean, params: unknown[]) {
  const { rows } = await client.query<{ n: number }>(COUNT_SQL(after), params);
  return rows[0]!.n;
}

function prepareReplica(replica: SqliteStore) {
  const db = replica.sqlite;
  const placeNames = PLACE_COLUMNS.map((c) => c.name);
  const businessNames = BUSINESS_COLUMNS.map((c) => c.name);
  const upsert = (table: string, names: string[]) =>
    db.prepare(
      `INSERT INTO ${quote(table)} (${names.map(quote).join(', ')})
       VALUES (${names.map(() => '?').join(', ')})
       ON CONFLICT (place_id) DO UPDATE SET ${names
         .filter((n) => n !== 'place_id')
         .map((n) => `${quote(n)} = excluded.${quote(n)}`)
         .join(', ')}`,
    );
  const stateSql = `SELECT cursor, pass_target, pass_limit, pass_after_xid, pass_after_place_id, locations
    FROM sync_state WHERE name = ?`;
  const readState = db.prepare<[string], SyncStateRow>(stateSql);
  return {
    placeNames,
    ensureState: db.prepare('INSERT OR IGNORE INTO sync_state (name) VALUES (?)'),
    readState: () => readState.get(PULL_STREAM)!,
    upsertPlace: upsert(PLACES, placeNames),
    upsertBusiness: upsert(BUSINESSES, businessNames),
    // The replica's trigger adds one to status_revision whenever the status changes, so the
    // server's revision is written by a second UPDATE, which changes no status (fires nothing).
    revisionAt: placeNames.indexOf('status_revision'),
    setRevision: db.prepare(
      `UPDATE ${quote(PLACES)} SET status_revision = ? WHERE place_id = ? AND status_revision IS NOT ?`,
    ),
    deletePlace: db.prepare(`DELETE FROM ${quote(PLACES)} WHERE place_id = ?`),
    deleteBusiness: db.prepare(`DELETE FROM ${quote(BUSINESSES)} WHERE place_id = ?`),
    placeExists: db.prepare(`SELECT 1 FROM ${quote(PLACES)} WHERE place_id = ?`).pluck(),
    anyServerCopy: db.prepare('SELECT EXISTS (SELECT 1 FROM sync_server_places)').pluck(),
    setServerCopy: db.prepare(
      `INSERT INTO sync_server_places (place_id, change_xid, place, pulled_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (place_id) DO UPDATE SET change_xid = excluded.change_xid,
         place = excluded.place, pulled_at = excluded.pulled_at`,
    ),
    dropServerCopy: db.prepare('DELETE FROM sync_server_places WHERE place_id = ?'),
    advancePass: db.prepare(
      `UPDATE sync_state SET pass_target = @target, pass_limit = @limit,
         pass_after_xid = @xid, pass_after_place_id = @place WHERE name = @name`,
    ),
    finishPass: db.prepare(
      `UPDATE sync_state SET cursor = @cursor, pass_target = NULL, pass_limit = NULL,
         pass_after_xid = NULL, pass_after_place_id = NULL, last_pulled_at = @now
       WHERE name = @name`,
    ),
    resetState: db.prepare(
      `UPDATE sync_state SET cursor = '0', pass_target = NULL, pass_limit = NULL,
         pass_after_xid = NULL, pass_after_place_id = NULL, locations = ? WHERE name = ?`,
    ),
    placesOutside: db
      .prepare(
        `SELECT place_id FROM ${quote(PLACES)}
         WHERE search_location IS NULL OR search_location NOT IN (SELECT value FROM json_each(?))`,
      )
      .pluck(),
  };
}
type ReplicaStatements = ReturnType<typeof prepareReplica>;

function applyRows(
  s: ReplicaStatements,
  rows: PageRow[],
  pendingDecisions: PullOptions['pendingDecisions'],
) {
  if (rows.length === 0) return;
  const pending = pendingDecisions?.(rows.map((r) => r[1] as string));
  const serverCopies = (s.anyServerCopy.get() as number) === 1;
  const now = Date.now();
  for (const row of rows) {
    const placeId = row[1] as string;
    const present = row[KIND] === 'row';
    if (pending?.has(placeId)) {
      const place = present
        ? Object.fromEntries(s.placeNames.map((n, i) => [n, row[PLACE_AT + i]]))
        : null;
      s.setServerCopy.run(placeId, row[0], place && JSON.stringify(place), now);
      if (present && s.placeExists.get(placeId)) applyBusiness(s, row, placeId);
      continue;
    }
    if (serverCopies) s.dropServerCopy.run(placeId);
    if (!present) {
      s.deletePlace.run(placeId);
      continue;
    }
    s.upsertPlace.run(row.slice(PLACE_AT, HAS_BUSINESS));
    const revision = row[PLACE_AT + s.revisionAt];
    s.setRevision.run(revision, placeId, revision);
    applyBusiness(s, row, placeId);
  }
}

function applyBusiness(s: ReplicaStatements, row: PageRow, placeId: string) {
  if (row[HAS_BUSINESS]) s.upsertBusiness.run(row.slice(BUSINESS_AT));
  else s.deleteBusiness.run(placeId);
}

/**
 * For the push (push.ts): brings a place's set-aside server version (sync_server_places, taken by
 * a pull while the place had an unanswered local decision) into the replica row, or removes the
 * row when the server no longer has the place in this replica's locations; then drops the copy.
 * Returns false when there was no copy. Call it inside a SQLite transaction.
 */
export function serverCopyApplier(replica: SqliteStore): (placeId: string) => boolean {
  const s = prepareReplica(replica);
  const read = replica.sqlite.prepare<[string], { place: string | null }>(
    'SELECT place FROM sync_server_places WHERE place_id = ?',
  );
  return (placeId) => {
    const copy = read.get(placeId);
    if (!copy) return false;
    s.dropServerCopy.run(placeId);
    if (copy.place === null) {
      s.deletePlace.run(placeId);
      return true;
    }
    const place = JSON.parse(copy.place) as Record<string, unknown>;
    s.upsertPlace.run(s.placeNames.map((n) => place[n]));
    const revision = place['status_revision'];
    s.setRevision.run(revision, placeId, revision);
    return true;
  };
}

/** A new location list: start over, without the places outside it (pending decisions stay). */
function resetForLocations(
  replica: SqliteStore,
  s: ReplicaStatements,
  locations: string[] | null,
  pendingDecisions: PullOptions['pendingDecisions'],
) {
  const json = locations ? JSON.stringify(locations) : null;
  replica.sqlite
    .transaction(() => {
      if (json) {
        const outside = s.placesOutside.all(json) as string[];
        const pending = pendingDecisions?.(outside);
        for (const placeId of outside) if (!pending?.has(placeId)) s.deletePlace.run(placeId);
      }
      s.resetState.run(json, PULL_STREAM);
    })
    .immediate();
}
