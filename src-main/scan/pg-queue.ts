import { count, eq, fillPlaceholders, getTableName, gt, sql, type SQL } from 'drizzle-orm';
import type { AnyColumn, Placeholder } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as pgSchema from '../db/schema.pg';
import {
  deepScanLeases as leases,
  localBusinesses as lb,
  placesApiCalls as calls,
  placesStaging as t,
  scanControl as control,
  scanCounters as counters,
  scanWorkers as workers,
} from '../db/schema.pg';
import { survivesLostConnections, type PgStore } from '../db/store';
import { pgScanState, scanStateIs } from '../places/queries';
import { endedWithoutResult as endedWithoutResultFor, scannedColumnNames } from './guards';
import { eventLoopLoad } from './loop-load';
import type { PlacesApiCallOutcome } from '../../src-shared/domain';
import type { LocalBusinessFields } from './places-api/map-to-local-business';
import {
  CANCELLED_COUNTER,
  CONTROL_ROW,
  emptyCounts,
  nothingClaimed,
  leaseExpiredMessage,
  WORKER_STALE_MS,
  type CallDay,
  type ClaimedPlace,
  type ClaimRequest,
  type ClaimResult,
  type ScanQueue,
  type SharedPause,
  type StartCallRequest,
  type StartCallResult,
  type RecordedCall,
  recordedCall,
  utcDayOf,
} from './queue';

/** A column as a bare name: the target of a SET, which PostgreSQL does not let us qualify. */
const target = (column: AnyColumn): SQL => sql`${sql.identifier(column.name)}`;
// float8, not int: an int overflows past 24.8 days of milliseconds (the callers cap pauses anyway).
const ms = (value: number): SQL => sql`(${Math.round(value)}::float8 * interval '1 millisecond')`;
/** The reviewer still wants the scan: only such places are claimed or go back to the queue. */
const selected = sql`${t.status} = 'Selected'`;

/** endedWithoutResult as a PostgreSQL SET list (bare column names as targets). */
function endedWithoutResult(queued: Parameters<typeof endedWithoutResultFor>[1]): SQL {
  return sql.join(
    Object.entries(endedWithoutResultFor(t, queued)).map(
      ([key, value]) =>
        sql`${target(t[key as keyof typeof t] as AnyColumn)} = ${value ?? sql`NULL`}`,
    ),
    sql`, `,
  );
}

/**
 * The guard of every write that ends an attempt on PostgreSQL: the claims' leases (sql/pg/0019)
 * deleted, returning each place's row (`id`) and this attempt's number (`attempt`). A claim whose
 * lease was swept, or swept and taken by another worker, deletes nothing, so its worker writes
 * nothing to the place. Run as a CTE of the statement that writes the places (one snapshot, one
 * commit).
 */
function freeLeases(claims: ClaimedPlace[]): SQL {
  const input = JSON.stringify(claims.map((c) => ({ id: c.id, token: c.token })));
  return freeLeasesOf(sql`jsonb_to_recordset(${input}::jsonb) AS x(id integer, token text)`);
}
/** freeLeases of the claims in `claims`, a row source `x` with columns `id` and `token`. */
function freeLeasesOf(claims: SQL): SQL {
  return sql`DELETE FROM ${leases} USING ${claims}
    WHERE ${leases.place_row} = x.id AND ${leases.claim_token} = x.token
    RETURNING ${leases.place_row} AS id, ${leases.attempt} AS attempt,
      ${leases.claimed_by} AS claimed_by`;
}
/** The attempt's number from the freed lease (in a statement over `freed`). */
const freedAttempt = sql`freed.attempt`;

/** The ledger rows of `day` (every worker's), as a scalar subquery. */
const callsOn = (day: CallDay): SQL =>
  sql`(SELECT count(*) FROM ${calls} WHERE ${calls.started_at} >= ${new Date(day.startMs)}
        AND ${calls.started_at} < ${new Date(day.endMs)})::int`;

/** The ledger rows of the claims' calls as input for {@link endCalls}. */
function callInput(claims: ClaimedPlace[], outcome: (c: ClaimedPlace) => PlacesApiCallOutcome) {
  return claims.flatMap((c) => {
    const call = recordedCall(c);
    return call
      ? [
          {
            id: call.id,
            outcome: outcome(c),
            duration_ms: call.durationMs,
            http_status: call.httpStatus,
          },
        ]
      : [];
  });
}

/**
 * The ledger rows with these ids, for a lookup by primary key in an UPDATE that joins its input.
 * (On the join alone the planner estimates the input at 100 rows and reads the open calls: a
 * bitmap scan over every row completed since the last VACUUM, so each statement cost more than
 * the one before.)
 */
const callsWithIds = (ids: string | Placeholder): SQL => sql`${calls.id} = ANY(${ids}::bigint[])`;
/**
 * Ledger rows still open (no outcome yet), for the UPDATEs that complete them (with callsWithIds),
 * written so that the planner cannot match the partial index of open calls (sql/pg/0013,
 * `WHERE outcome IS NULL`; `IS TRUE` changes nothing else: IS NULL is never NULL). That index
 * keeps an entry for every call opened since the last VACUUM, yet its statistics say it is small:
 * with `outcome IS NULL` the plan kept for the statement of results read all of it (4,000
 * entries after a run of 4,000 places) and filtered by id, 0.3-0.6 ms a statement growing with
 * the run, against 0.04 ms by primary key.
 */
const stillOpen = sql`(${calls.outcome} IS NULL) IS TRUE`;
/** Ledger row ids as the PostgreSQL array literal callsWithIds takes. */
const idArray = (ids: number[]): string => `{${ids.join(',')}}`;

type Executor = { execute: NodePgDb['execute'] };
type NodePgDb = PgStore['db'];

const dialect = new PgDialect();

/** Where a statement rendered once runs (runStatement): the pool or one of its clients. */
type Queryable = pg.Pool | pg.PoolClient;

/**
 * Whether what was written on the client's connection has been handed to the operating system
 * (false: the connection closed first). A write on an idle connection usually is at once.
 */
function handedOver(client: pg.PoolClient): Promise<boolean> {
  const stream = client.connection.stream as import('node:net').Socket;
  return new Promise((resolve) => {
    const check = () => {
      if (stream.destroyed) resolve(false);
      else if (stream.writableLength === 0) resolve(true);
      else setImmediate(check);
    };
    check();
  });
}

/** Completes ledger rows (once: a row whose outcome is set stays as it is). */
async function endCalls(on: Executor, rows: ReturnType<typeof callInput>): Promise<void> {
  if (rows.length === 0) return;
  await on.execute(sql`
    UPDATE ${calls} SET
      ${sql.identifier(calls.outcome.name)} = x.outcome,
      ${sql.identifier(calls.duration_ms.name)} = x.duration_ms,
      ${sql.identifier(calls.http_status.name)} = x.http_status
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(id bigint, outcome text, duration_ms integer, http_status integer)
    WHERE ${calls.id} = x.id AND ${callsWithIds(idArray(rows.map((r) => r.id)))}
      AND ${stillOpen}`);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The local_businesses upsert of a finished scan, as static SQL built once: the values come
 * from `r` (a row rebuilt by jsonb_populate_record) for the places `done` (the guarded UPDATE)
 * returned, and a rescan replaces the whole row.
 */
const businessColumns = scannedColumnNames(lb);
const UPSERT_BUSINESS = sql.raw(
  `INSERT INTO ${quote(getTableName(lb))} (place_id, ${businessColumns.map(quote).join(', ')})
      SELECT done.place_id, ${businessColumns.map((c) => `r.${quote(c)}`).join(', ')}`,
);
const ON_CONFLICT_REPLACE = sql.raw(
  `ON CONFLICT (place_id) DO UPDATE SET ${businessColumns
    .map((c) => `${quote(c)} = excluded.${quote(c)}`)
    .join(', ')}, updated_at = now()`,
);

/** The row keyed by column name, for jsonb_populate_record. */
function businessRow(fields: LocalBusinessFields): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    row[lb[key as keyof LocalBusinessFields].name] = value;
  }
  return row;
}

/** A statement rendered once: its text and its parameters, some of them placeholders. */
type Rendered = ReturnType<PgDialect['sqlToQuery']>;

/**
 * The statement that finishes places (completeMany), rendered once per shape: with and without
 * the ledger rows of calls about to start. Per statement only the values change: the places as
 * JSON (`input`), the ids of their calls' ledger rows (`callIds`, a bigint[] literal) and the new
 * ledger rows (`rows`, see callRows). Rendering it each time (drizzle's sqlToQuery over ~60
 * fragments) cost the worker ~0.3 ms per statement; sent as a named statement where that is safe
 * (statementsNamed) PostgreSQL also parses and plans it once per connection instead of each time
 * (~0.5 ms a statement).
 */
function completionStatement(withStarts: boolean): Rendered {
  const [started, startedRows] = withStarts
    ? [
        sql`, started AS (${insertCallsFrom(sql.placeholder('rows'))} WHERE true ${orderedReturning})`,
        sql`UNION ALL SELECT place_id, id, NULL FROM started`,
      ]
    : [sql``, sql``];
  return dialect.sqlToQuery(sql`
    WITH input AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(${sql.placeholder('input')}::jsonb)
        AS x(id integer, token text, business jsonb, call_id bigint, duration_ms integer,
             http_status integer)
    ), freed AS (${freeLeasesOf(sql`input AS x`)}), done AS (
      UPDATE ${t} SET
        ${target(t.deep_scan_status)} = 'Completed',
        ${target(t.deep_scan_error)} = NULL,
        ${target(t.deep_scan_completed_at)} = now(),
        ${target(t.deep_scan_attempts)} = freed.attempt,
        ${target(t.deep_scan_claimed_by)} = freed.claimed_by,
        ${target(t.deep_scan_next_attempt_at)} = NULL
      FROM freed
      WHERE ${t.id} = freed.id AND ${t.deep_scan_status} = 'Queued'
      RETURNING ${t.id} AS id, ${t.place_id} AS place_id
    ), ledger AS (
      -- The spend ledger, in the same statement: 'cancelled' when the claim was gone.
      UPDATE ${calls} SET
        ${target(calls.outcome)} = CASE WHEN EXISTS (SELECT 1 FROM done WHERE done.id = input.id)
          THEN 'completed' ELSE 'cancelled' END,
        ${target(calls.duration_ms)} = input.duration_ms,
        ${target(calls.http_status)} = input.http_status
      FROM input
      WHERE ${calls.id} = input.call_id AND ${callsWithIds(sql.placeholder('callIds'))}
        AND ${stillOpen}
    ), business AS (
      ${UPSERT_BUSINESS}
      FROM done JOIN input ON input.id = done.id
      CROSS JOIN LATERAL jsonb_populate_record(NULL::${lb}, input.business) AS r
      ${ON_CONFLICT_REPLACE}
      RETURNING ${lb.place_id} AS place_id
    ) ${started}
    SELECT place_id, NULL::bigint AS call_id, NULL::int AS daily_call_limit FROM business
    ${startedRows}
    UNION ALL SELECT NULL, NULL, ${storeLimit}`);
}

interface ClaimRow extends Record<string, unknown> {
  id: number | null;
  place_id: string | null;
  attempt: number | null;
  next_due_ms: number | null;
}

/** The control row as a claim reads it, locked. */
interface ControlRow extends Record<string, unknown> {
  pause_ms: number | null;
  pause_reason: string | null;
  tokens: number | null;
  daily_call_limit: number | null;
  calls_today: number | null;
}

interface PendingCompletion {
  claim: ClaimedPlace;
  fields: LocalBusinessFields;
  resolve(ok: boolean): void;
  reject(error: unknown): void;
}

/** At most this many places finish in one statement. */
const MAX_COMPLETIONS_PER_STATEMENT = 50;
/** At most this many calls are appended to the ledger in one statement. */
const MAX_APPENDS_PER_STATEMENT = 50;
/** The calls lane's connection closes after this long without a call (see callsLane). */
const CALLS_LANE_IDLE_MS = 10_000;
/**
 * The longest a call about to start waits for a statement of results to carry its ledger row
 * while the loop is busy (flushWrites). Such a statement goes as soon as the one in flight ends,
 * ~2-5 ms on a busy machine; one held up longer (a lock behind a reviewer's long update) must not
 * hold the calls with it.
 */
const HOLD_START_MS = 20;
/** The calls lane's statement, prepared once per connection where statementsNamed says so. */
const START_CALLS_STATEMENT = 'staging-editor-start-calls';

/** A ledger row appended: its id and place. */
interface AppendedCall extends Record<string, unknown> {
  id: string | number;
  place_id: string;
  /** The store's limit as the statement saw it (insertCalls). */
  daily_call_limit?: number | null;
}

/**
 * The store's daily call limit, read by the write statements too: a limit set while a worker
 * scans without one stops the calls it sends ahead of their commit within one statement.
 */
const storeLimit = sql`(SELECT ${control.daily_call_limit} FROM ${control}
  WHERE ${control.name} = ${CONTROL_ROW})`;

const callColumns = sql.join(
  [calls.place_id, calls.worker_id, calls.started_at, calls.field_mask].map(
    (c) => sql`${sql.identifier(c.name)}`,
  ),
  sql`, `,
);

/**
 * The INSERT of the ledger rows of `requests` (those whose `ord`, their place in the list,
 * meets `first`), in request order, returning each row's id and place.
 */
function insertCalls(requests: StartCallRequest[], first: SQL): SQL {
  return sql`${insertCallsFrom(callRows(requests))} WHERE ${first} ${orderedReturning}`;
}

const orderedReturning = sql`ORDER BY x.ord
    RETURNING ${calls.id} AS id, ${calls.place_id} AS place_id, ${storeLimit} AS daily_call_limit`;

/**
 * The calls lane's INSERT (startOnLane), its text built once: the rows given, committed without
 * waiting for the WAL flush (synchronous_commit off for this transaction only; set_config's
 * `true`). The calls go out before the commit anyway (StartCallResult.recorded): what keeps a
 * sent call's row is that PostgreSQL runs a statement it has received. A crash of the server
 * itself can lose a transaction committed this way, but only until the next flush: any later
 * synchronous commit (the scan's results commit every few milliseconds while it runs) flushes
 * it too, and the write of the call's outcome is one of those. Only without a daily limit: the
 * budget check (appendCalls) commits synchronously.
 */
const LANE_INSERT = dialect.sqlToQuery(sql`${insertCallsFrom(sql.placeholder('rows'))}
    WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL ${orderedReturning}`);

/** The ledger rows of `requests`, in order (`ord`), as the JSON insertCallsFrom reads. */
function callRows(requests: StartCallRequest[]): string {
  return JSON.stringify(
    requests.map((r, ord) => ({
      ord,
      place_id: r.placeId,
      worker_id: r.workerId,
      started_at: new Date(r.startedAt).toISOString(),
      field_mask: r.fieldMask,
    })),
  );
}

function insertCallsFrom(rows: string | Placeholder): SQL {
  return sql`
    INSERT INTO ${calls} (${callColumns})
    SELECT x.place_id, x.worker_id, x.started_at, x.field_mask
    FROM jsonb_to_recordset(${rows}::jsonb)
      AS x(ord int, place_id text, worker_id text, started_at timestamptz, field_mask text)`;
}

const COMPLETE = completionStatement(false);
const COMPLETE_AND_START = completionStatement(true);
/** Their names, when sent as named statements (statementsNamed). */
const COMPLETE_STATEMENT = 'staging-editor-complete';
const COMPLETE_AND_START_STATEMENT = 'staging-editor-complete-and-start';

/**
 * What each request got: its ledger row's id, or the limit it found spent. A worker holds a
 * place once at a time, so place ids are unique within the requests.
 */
function callResults(
  requests: StartCallRequest[],
  rows: AppendedCall[],
  limit: number | null,
): StartCallResult[] {
  const ids = new Map(rows.map((r) => [r.place_id, Number(r.id)]));
  return requests.map((r): StartCallResult => {
    const id = ids.get(r.placeId);
    return id !== undefined ? { id } : { id: null, limitReached: limit ?? 0 };
  });
}

interface PendingAppend {
  request: StartCallRequest;
  resolve(result: StartCallResult): void;
  reject(error: unknown): void;
}

export interface PgScanQueueOptions {
  /**
   * The store's URL (settings.DATABASE_URL). When set, lease extensions, the lease sweep and the
   * worker heartbeat run on a connection of their own, so they never wait for a pooled
   * connection behind reviewers' long updates; `close()` ends it.
   */
  heartbeatUrl?: string;
  /**
   * Whether this process's event loop is busy (default: eventLoopLoad), asked before a call goes
   * on the calls lane while a statement of results is in flight (flushWrites). Tests set it.
   */
  loopBusy?: () => boolean;
  /** How long such a call may wait for the next statement of results (HOLD_START_MS). Tests set it. */
  holdStartMs?: number;
}

/**
 * A connection of the scan's own, outside the store's pool (a pool of one): the heartbeat's and
 * the calls lane's. `idleMs` 0: kept open until `close()`. `extra`: more connection settings.
 */
function ownConnection(
  url: string,
  name: string,
  idleMs: number,
  extra: pg.PoolConfig = {},
): pg.Pool {
  return survivesLostConnections(
    new pg.Pool({
      ...extra,
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: idleMs,
      application_name: name,
    }),
  );
}

/**
 * The calls lane: a connection of its own, for the ledger rows of calls about to be sent while
 * the store has no daily limit and no statement of results is about to go with them
 * (flushWrites). A call then waits for no place's result to commit, nor for a pooled
 * connection, before it goes: only for the small INSERT before it on the lane, if one is in
 * flight (startOnLane). Opened on the first call at `url` (the heartbeat's, else the store's
 * own), closed after CALLS_LANE_IDLE_MS without one. None behind a pooler that refuses or drops
 * startup parameters (timeoutDelivery 'per-transaction': a transaction pooler, where the
 * handover that startOnLane relies on would reach the pooler, not PostgreSQL); there every
 * call's row commits before the call (appendCalls).
 */
function callsLane(store: PgStore, url: string | undefined): pg.Pool | null {
  if (!url || store.timeoutDelivery === 'per-transaction') return null;
  // The store's statement and lock timeouts (startup parameters), so a stuck INSERT ends as one
  // on the pool would.
  const { statement_timeout, lock_timeout } = store.pool.options;
  return ownConnection(url, 'staging-editor-scan-calls', CALLS_LANE_IDLE_MS, {
    ...(statement_timeout ? { statement_timeout } : {}),
    ...(lock_timeout ? { lock_timeout } : {}),
  });
}

export function createPgScanQueue(store: PgStore, options: PgScanQueueOptions = {}): ScanQueue {
  const { db } = store;
  const heartbeatPool = options.heartbeatUrl
    ? ownConnection(options.heartbeatUrl, 'staging-editor-scan-heartbeat', 0)
    : null;
  const beatDb = heartbeatPool ? drizzle(heartbeatPool, { schema: pgSchema }) : db;
  const lane = callsLane(store, options.heartbeatUrl ?? store.pool.options.connectionString);
  /**
   * Whether the statements rendered once (the lane's INSERT, the completions) are sent as named
   * statements, so each connection parses and plans them once (runStatement): only where the
   * server showed it gets our startup parameters (timeoutDelivery 'startup'). With no timeouts
   * asked for ('none') a transaction pooler may be between, and it would hand the next statement
   * to a server connection where nothing was prepared.
   */
  let statementsNamed = store.timeoutDelivery === 'startup';
  /**
   * Whether the store had a daily call limit when this process last read it (each claim reads it
   * under the control row lock, each write statement as it runs); null before the first read.
   * Only `false` lets a call go out before its ledger row commits (startOnLane). A limit set
   * elsewhere while this worker scans without one holds from its first call after its next
   * write statement: it can be passed by the calls sent ahead in the statement then in flight.
   */
  let limitSeen: boolean | null = null;

  /**
   * Ends attempts without a result in one statement: the leases `freed` deletes (freeLeases, or
   * the sweep's), the places they held written with `set` (from endedWithoutResult; it may read
   * `freed.attempt`), and the places that were cancelled counted.
   */
  async function endAttempts(on: Executor, set: SQL, freed: SQL): Promise<(string | null)[]> {
    const { rows } = await on.execute<{ status: string | null }>(sql`
      WITH freed AS (${freed}), ended AS (
        UPDATE ${t} SET ${set}, ${target(t.deep_scan_claimed_by)} = freed.claimed_by FROM freed
        WHERE ${t.id} = freed.id AND ${t.deep_scan_status} = 'Queued'
        RETURNING ${t.deep_scan_status} AS status
      ), counted AS (
        UPDATE ${counters} SET
          ${target(counters.value)} = ${counters.value}
            + (SELECT count(*) FROM ended WHERE status IS NULL)::int
        WHERE ${counters.name} = ${CANCELLED_COUNTER}
          AND EXISTS (SELECT 1 FROM ended WHERE status IS NULL)
      )
      SELECT status FROM ended`);
    return rows.map((r) => r.status);
  }

  /**
   * Finishes places in one statement, so in one transaction: their leases deleted, the UPDATE to
   * Completed of the places whose lease that found (a lost lease deletes nothing), then the
   * local_businesses upsert fed only by the rows that UPDATE returned, so a place whose claim is
   * gone gets no business row either. Each place is finished as a whole or not at all. `starts`:
   * ledger rows of calls about to be sent, appended in the same statement. Runs on `on` (default:
   * the pool). Returns the place ids that were finished and the ledger rows appended.
   */
  async function completeMany(
    batch: PendingCompletion[],
    starts: StartCallRequest[] = [],
    on: Queryable = store.pool,
  ): Promise<{ done: Set<string>; started: AppendedCall[] }> {
    const input = JSON.stringify(
      batch.map((p) => {
        const call = recordedCall(p.claim);
        return {
          id: p.claim.id,
          token: p.claim.token,
          business: businessRow(p.fields),
          call_id: call?.id ?? null,
          duration_ms: call?.durationMs ?? null,
          http_status: call?.httpStatus ?? null,
        };
      }),
    );
    const callIds = idArray(batch.flatMap((p) => recordedCall(p.claim)?.id ?? []));
    const withStarts = starts.length > 0;
    const { rows } = await runStatement<{
      place_id: string | null;
      call_id: string | number | null;
      daily_call_limit: number | null;
    }>(
      on,
      withStarts ? COMPLETE_AND_START_STATEMENT : COMPLETE_STATEMENT,
      withStarts ? COMPLETE_AND_START : COMPLETE,
      { input, callIds, rows: withStarts ? callRows(starts) : null },
    );
    const done = new Set<string>();
    const appended: AppendedCall[] = [];
    for (const row of rows) {
      if (row.place_id === null) limitSeen = row.daily_call_limit !== null;
      else if (row.call_id === null) done.add(row.place_id);
      else appended.push({ id: row.call_id, place_id: row.place_id });
    }
    return { done, started: appended };
  }

  /**
   * Runs a statement rendered once (`statement`, its placeholders filled from `values`) on `on`,
   * as the named statement `name` where statementsNamed says so. Should a pooler between drop a
   * named statement all the same (PostgreSQL answers 26000: nothing ran), it is sent again at
   * once, unnamed, and so is every statement from then on.
   */
  async function runStatement<R extends pg.QueryResultRow>(
    on: Queryable,
    name: string,
    statement: Rendered,
    values: Record<string, unknown>,
  ): Promise<pg.QueryResult<R>> {
    const query = { text: statement.sql, values: fillPlaceholders(statement.params, values) };
    if (!statementsNamed) return on.query<R>(query);
    try {
      return await on.query<R>({ ...query, name });
    } catch (error) {
      if (!(error instanceof pg.DatabaseError && error.code === '26000')) throw error;
      statementsNamed = false;
      return on.query<R>(query);
    }
  }

  /** Finishes places, as many as one statement takes at a time; one failing row fails no other. */
  async function finishPlaces(batch: PendingCompletion[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const { done } = await completeMany(batch);
      for (const p of batch) p.resolve(done.has(p.claim.placeId));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else {
        // One failing row must not fail the others: finish them one by one.
        for (const p of batch) {
          await completeMany([p]).then(
            ({ done }) => p.resolve(done.has(p.claim.placeId)),
            p.reject,
          );
        }
      }
    }
  }

  /** Appends the ledger rows of calls about to be sent (see appendCalls). */
  async function startCalls(batch: PendingAppend[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const results = await appendCalls(batch.map((p) => p.request));
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      // Nothing was appended: each caller sends nothing and returns its claim.
      for (const p of batch) p.reject(error);
    }
  }

  /**
   * Appends the ledger rows of calls about to be sent on the calls lane (callsLane), in one
   * statement. The INSERT commits without waiting for the WAL flush (LANE_INSERT) and is a
   * prepared statement where statementsNamed says so: together they cut the server's work per
   * start by three quarters.
   */
  async function startOnLane(pool: pg.Pool, starts: PendingAppend[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      // Nothing was written: the calls are not sent, their places go back to the queue.
      for (const p of starts) p.reject(error);
      return;
    }
    const statement = runStatement<AppendedCall>(client, START_CALLS_STATEMENT, LANE_INSERT, {
      rows: callRows(starts.map((p) => p.request)),
    }).then((r) => {
      limitSeen = (r.rows[0]?.daily_call_limit ?? null) !== null;
      return { done: new Set<string>(), started: r.rows };
    });
    await sendAhead(client, statement, [], starts);
  }

  /**
   * Places that finished and calls about to start, in one statement on a connection of the
   * pool: a scan's result and the next place's ledger row usually come in the same turn of the
   * event loop (the loop starts the next call as soon as an answer came), and one statement for
   * both is a round trip less per place.
   */
  async function finishAndStart(done: PendingCompletion[], starts: PendingAppend[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await store.pool.connect();
    } catch (error) {
      // Nothing was written: the calls are not sent, the places are written again later.
      for (const p of [...done, ...starts]) p.reject(error);
      return;
    }
    const requests = starts.map((p) => p.request);
    await sendAhead(client, completeMany(done, requests, client), done, starts);
  }

  /**
   * Lets the calls of `starts` go once `statement` (already written on `client`, with their
   * ledger rows) is handed to the operating system, before it commits (each start resolves with
   * `recorded`), without a daily limit only (under one, a call waits for its budget check:
   * appendCalls). PostgreSQL runs a statement it has received even if the worker is killed right
   * after, so the ledger row of a call that went out is not lost with the worker. Waiting for
   * the commit instead held every call back by one statement: ~25% of the throughput at 20 ms
   * API latency.
   *
   * If the statement fails (nothing of it was written), the places are finished on their own and
   * the calls, already sent, are recorded on their own (retried: they were paid for).
   * Gives `client` back.
   */
  async function sendAhead(
    client: pg.PoolClient,
    statement: Promise<{ done: Set<string>; started: AppendedCall[] }>,
    done: PendingCompletion[],
    starts: PendingAppend[],
  ): Promise<void> {
    const sent = await handedOver(client);
    const settle = new Map<string, (result: RecordedCall) => void>();
    for (const p of starts) {
      if (!sent) {
        // The connection broke before the statement left: nothing was written, nothing is sent.
        p.reject(new Error('the connection to the store closed before the call was recorded'));
        continue;
      }
      const recorded = new Promise<RecordedCall>((resolve) =>
        settle.set(p.request.placeId, resolve),
      );
      p.resolve({ id: null, recorded });
    }
    let rows: AppendedCall[];
    try {
      const result = await statement;
      client.release();
      for (const p of done) p.resolve(result.done.has(p.claim.placeId));
      rows = result.started;
    } catch (error) {
      // The server refused the statement: the connection is fine. Anything else: it is not.
      client.release(error instanceof pg.DatabaseError ? undefined : (error as Error));
      [, rows] = await Promise.all([
        finishPlaces(done),
        settle.size > 0 ? recordSentCalls(starts.map((p) => p.request)) : Promise.resolve([]),
      ]);
      if (settle.size > 0 && rows.length === 0) {
        for (const resolve of settle.values()) resolve({ id: null, error });
        return;
      }
    }
    const ids = new Map(rows.map((r) => [r.place_id, Number(r.id)]));
    for (const [placeId, resolve] of settle) {
      const id = ids.get(placeId);
      resolve(
        id === undefined ? { id: null, error: new Error('ledger row not appended') } : { id },
      );
    }
  }

  /**
   * The ledger rows of calls already sent whose first statement failed, appended on their own,
   * retried twice (they were paid for). Empty when the store kept refusing.
   */
  async function recordSentCalls(requests: StartCallRequest[]): Promise<AppendedCall[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await db.execute<AppendedCall>(insertCalls(requests, sql`true`))).rows;
      } catch {
        if (attempt >= 2) return [];
        await new Promise((resolve) => setTimeout(resolve, 250 * 4 ** attempt));
      }
    }
  }

  async function readPause(): Promise<SharedPause | null> {
    const { rows } = await db.execute<{ remaining_ms: number | null; reason: string | null }>(sql`
      SELECT (EXTRACT(EPOCH FROM ${control.paused_until} - now()) * 1000)::float8 AS remaining_ms,
             ${control.pause_reason} AS reason
      FROM ${control} WHERE ${control.name} = ${CONTROL_ROW}`);
    const row = rows[0];
    return row && row.remaining_ms !== null && row.remaining_ms > 0
      ? { remainingMs: row.remaining_ms, reason: row.reason ?? 'Deep scans are paused.' }
      : null;
  }

  /**
   * Appends the ledger rows of calls about to be sent under a daily limit (or before a claim
   * said whether the store has one), in one transaction for the calls that start together, in
   * request order: as many as the day's budget has room for, under the control row lock.
   */
  async function appendCalls(requests: StartCallRequest[]): Promise<StartCallResult[]> {
    return db.transaction(async (tx) => {
      // The control row lock orders the budget checks of every worker sharing the store. The
      // count is in a statement after the lock (READ COMMITTED: a fresh snapshot), so it sees
      // every call that committed before the lock was ours.
      const { rows: ctl } = await tx.execute<{ daily_call_limit: number | null }>(
        sql`SELECT ${control.daily_call_limit} AS daily_call_limit FROM ${control}
            WHERE ${control.name} = ${CONTROL_ROW} FOR UPDATE`,
      );
      const limit = ctl[0]?.daily_call_limit ?? null;
      limitSeen = limit !== null;
      const room =
        limit === null ? sql`true` : sql`x.ord < ${limit}::int - ${callsOn(requests[0]!.day)}`;
      const { rows } = await tx.execute<AppendedCall>(insertCalls(requests, room));
      return callResults(requests, rows, limit);
    });
  }

  /**
   * Places left Processing in the place itself (the claim of a version before sql/pg/0019, still
   * running against this store, or SQL by hand) whose lease there ran out, or that have none:
   * each becomes Queued with a lease row already expired, as 0019 converted them, so the lease
   * sweep that follows ends the attempt as it ends any other (back to the queue, or Error after
   * the last attempt). The lease carries the attempt (the place's count, which such a claim had
   * already raised), and the sweep writes it back to the place, so the place's own count is left
   * as it is here. Without this nothing would ever claim or sweep them. A live lease of that
   * kind is left to its worker; the place's own token guard refuses that worker's writes once
   * the place is Queued. Reads only places_staging_lease_idx (sql/pg/0001).
   */
  async function adoptLegacyClaims(): Promise<void> {
    await beatDb.execute(sql`
      WITH legacy AS (
        SELECT ${t.id} AS id, COALESCE(${t.deep_scan_claim_token}, 'before-0019') AS token,
               COALESCE(${t.deep_scan_claimed_by}, 'before-0019') AS claimed_by,
               GREATEST(${t.deep_scan_attempts}, 1) AS attempt
        FROM ${t}
        WHERE ${t.deep_scan_status} = 'Processing'
          AND (${t.deep_scan_lease_expires_at} IS NULL OR ${t.deep_scan_lease_expires_at} < now())
        ORDER BY ${t.id} LIMIT 1000
        FOR UPDATE SKIP LOCKED
      ), leased AS (
        INSERT INTO ${leases} (place_row, claim_token, claimed_by, attempt, expires_at)
        SELECT id, token, claimed_by, attempt, '-infinity' FROM legacy
        ON CONFLICT (place_row) DO NOTHING
      )
      UPDATE ${t} SET
        ${target(t.deep_scan_status)} = 'Queued',
        ${target(t.deep_scan_next_attempt_at)} =
          COALESCE(${t.deep_scan_next_attempt_at}, ${t.deep_scan_queued_at}, now()),
        ${target(t.deep_scan_claim_token)} = NULL,
        ${target(t.deep_scan_claimed_by)} = NULL,
        ${target(t.deep_scan_lease_expires_at)} = NULL
      FROM legacy WHERE ${t.id} = legacy.id`);
  }

  // Group commit of a scan's two writes: the results that come while a statement runs go together
  // in the next one, and so do the ledger rows of calls about to start. That saves a round trip
  // and a WAL flush per place.
  const pending: PendingCompletion[] = [];
  const appends: PendingAppend[] = [];
  /** Whether a statement of results is in flight (at most one). */
  let finishing = false;
  /** Whether a statement of ledger rows is in flight (at most one). */
  let starting = false;
  let flushScheduled = false;
  const loopBusy = options.loopBusy ?? eventLoopLoad();
  const holdStartMs = options.holdStartMs ?? HOLD_START_MS;
  /** Calls about to start are held for the next statement of results (flushWrites). */
  let holdTimer: NodeJS.Timeout | null = null;
  /** They were held holdStartMs: they go on the calls lane. */
  let holdExpired = false;
  function endHold(): void {
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = null;
    holdExpired = false;
  }
  function flushSoon(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    // Let the writes this turn of the event loop brings join the same statement.
    setImmediate(() => {
      flushScheduled = false;
      flushWrites();
    });
  }

  /** The next appends of one UTC day (the budget counts that day's calls). */
  function takeAppends(): PendingAppend[] {
    const day = appends[0]?.request.day.startMs;
    let n = 0;
    while (
      n < appends.length &&
      n < MAX_APPENDS_PER_STATEMENT &&
      appends[n]!.request.day.startMs === day
    ) {
      n++;
    }
    return appends.splice(0, n);
  }

  /**
   * Sends the next write statements, one of results and one of ledger rows in flight at most, so
   * a call about to start never waits for results to commit. Without a daily limit the calls
   * that come with results go in the results' statement (a round trip less); the others go on
   * the calls lane at once, unless the loop is busy. Under a limit each call waits for its budget
   * check (appendCalls). What comes while a statement runs goes together in the next, sent as
   * soon as that one ends.
   *
   * While a statement of results is in flight and the loop is busy (loopBusy), a call waits for
   * the next statement of results instead (holdStartMs at most). Each statement costs the worker
   * ~1 ms of its loop and PostgreSQL a wake-up: when the machine's cores are the limit (API
   * answers in a few ms), a statement saved is worth more than the call's wait; when the API is
   * the limit (tens of ms), the wait is what costs, and the loop is not busy.
   */
  function flushWrites(): void {
    const ahead = lane !== null && limitSeen === false;
    if (!finishing && pending.length > 0) {
      const done = pending.splice(0, MAX_COMPLETIONS_PER_STATEMENT);
      // Only when the pool has a connection free: a call must not wait for one.
      const starts = ahead && store.pool.idleCount > 0 ? takeAppends() : [];
      // The calls held went with this statement. Any it had no room for stay held as they were.
      if (appends.length === 0) endHold();
      finishing = true;
      void (starts.length > 0 ? finishAndStart(done, starts) : finishPlaces(done))
        .catch((error: unknown) => {
          // Not expected (each part settles its callers); whatever is left unsettled fails.
          for (const p of [...done, ...starts]) p.reject(error);
        })
        .finally(() => {
          finishing = false;
          // At once, not a turn later: the results that came meanwhile go now.
          flushWrites();
        });
    }
    if (!starting && appends.length > 0) {
      if (ahead && finishing && !holdExpired && loopBusy()) {
        holdTimer ??= setTimeout(() => {
          holdTimer = null;
          holdExpired = true;
          flushWrites();
        }, holdStartMs).unref();
        return;
      }
      endHold();
      const starts = takeAppends();
      starting = true;
      void (ahead ? startOnLane(lane, starts) : startCalls(starts))
        .catch((error: unknown) => {
          for (const p of starts) p.reject(error);
        })
        .finally(() => {
          starting = false;
          flushWrites();
        });
    }
  }

  return {
    kind: 'postgres',

    async prepare() {
      await db.insert(control).values({ name: CONTROL_ROW }).onConflictDoNothing();
      await db.insert(counters).values({ name: CANCELLED_COUNTER }).onConflictDoNothing();
      await db.delete(workers).where(sql`${workers.last_seen_at} < now() - interval '1 day'`);
      // Shared store: places in Processing may belong to live workers; the lease sweep decides.
      return { recovered: 0 };
    },

    async claim(request: ClaimRequest): Promise<ClaimResult> {
      const burst = Math.max(1, request.ratePerSecond);
      const day = request.day ?? utcDayOf(Date.now());
      // The store's limit, read under the row lock; the day's calls are counted only under one
      // (a CASE evaluates the count's subquery only when that branch is taken).
      const callsToday = sql`CASE WHEN ${control.daily_call_limit} IS NULL THEN 0 ELSE ${callsOn(day)} END`;
      return db.transaction(async (tx) => {
        // First the control row, locked: the pause and the token bucket. The lock orders the
        // claims of all workers (each is short). The pick below is a statement of its own so
        // that its snapshot is taken after the lock is ours: it sees the leases of every claim
        // that held the lock before (in one statement it would not, and could pick their places).
        const { rows: ctlRows } = await tx.execute<ControlRow>(sql`
          SELECT (EXTRACT(EPOCH FROM ${control.paused_until} - now()) * 1000)::float8 AS pause_ms,
                 ${control.pause_reason} AS pause_reason,
                 LEAST(${burst}::float8, ${control.rate_tokens} + ${request.ratePerSecond}::float8
                   * GREATEST(0, EXTRACT(EPOCH FROM now() - ${control.rate_refilled_at}))::float8) AS tokens,
                 ${control.daily_call_limit} AS daily_call_limit, ${callsToday} AS calls_today
          FROM ${control} WHERE ${control.name} = ${CONTROL_ROW}
          FOR UPDATE`);
        const state = ctlRows[0];
        if (!state) {
          // The control row is gone (deleted by hand): put it back; claim next time.
          await tx.insert(control).values({ name: CONTROL_ROW }).onConflictDoNothing();
          return nothingClaimed();
        }
        limitSeen = state.daily_call_limit !== null;
        const pauseMs = state.pause_ms ?? 0;
        const tokens = state.tokens ?? 0;
        // What is left of the day's call budget (startCall is what enforces it exactly).
        const budget =
          state.daily_call_limit === null
            ? request.limit
            : Math.max(0, state.daily_call_limit - (state.calls_today ?? 0));
        const limit = pauseMs > 0 ? 0 : Math.min(request.limit, Math.floor(tokens), budget);
        // Then one statement: pick due places that no worker holds, SKIP LOCKED (a place a
        // reviewer is deciding on right now is passed by; the row lock orders the two), give
        // each a lease (nothing is written to places_staging: its indexes stay as they are),
        // spend one token per place, and report when the next not-yet-due place becomes due (so
        // an idle loop sleeps exactly that long).
        const { rows } = await tx.execute<ClaimRow>(sql`
          WITH picked AS MATERIALIZED (
            SELECT ${t.id} AS id, ${t.place_id} AS place_id, ${t.deep_scan_attempts} + 1 AS attempt
            FROM ${t}
            WHERE ${scanStateIs(t, 'Queued')} AND ${t.deep_scan_next_attempt_at} <= now()
              AND ${selected}
            ORDER BY ${t.deep_scan_next_attempt_at}, ${t.id}
            LIMIT ${limit}::int
            FOR UPDATE OF ${t} SKIP LOCKED
          ), leased AS (
            INSERT INTO ${leases} (place_row, claim_token, claimed_by, attempt, expires_at)
            SELECT id, ${request.token}, ${request.workerId}, attempt, now() + ${ms(request.leaseMs)}
            FROM picked ORDER BY id
            ON CONFLICT (place_row) DO NOTHING
            RETURNING ${leases.place_row} AS id, ${leases.attempt} AS attempt
          ), spent AS (
            UPDATE ${control} SET
              ${target(control.rate_tokens)} = ${tokens}::float8 - (SELECT count(*) FROM leased),
              ${target(control.rate_refilled_at)} = GREATEST(${control.rate_refilled_at}, now())
            WHERE ${control.name} = ${CONTROL_ROW} AND EXISTS (SELECT 1 FROM leased)
          )
          SELECT leased.id, picked.place_id, leased.attempt, NULL::float8 AS next_due_ms
          FROM leased JOIN picked ON picked.id = leased.id
          UNION ALL
          SELECT NULL, NULL, NULL,
                 (SELECT (EXTRACT(EPOCH FROM min(${t.deep_scan_next_attempt_at}) - now()) * 1000)::float8
                  FROM ${t} WHERE ${t.deep_scan_status} = 'Queued' AND ${t.deep_scan_next_attempt_at} > now()
                    AND ${selected})`);
        const places: ClaimedPlace[] = [];
        let nextDueMs: number | null = null;
        for (const row of rows) {
          if (row.id === null) nextDueMs = row.next_due_ms;
          else
            places.push({
              id: row.id,
              placeId: row.place_id!,
              attempt: row.attempt!,
              token: request.token,
            });
        }
        return {
          places,
          tokensBefore: tokens,
          dailyCallLimit: state.daily_call_limit,
          callsToday: state.calls_today ?? 0,
          nextDueInMs: nextDueMs === null ? null : Math.max(0, nextDueMs),
          pause:
            pauseMs > 0
              ? { remainingMs: pauseMs, reason: state.pause_reason ?? 'Deep scans are paused.' }
              : null,
        };
      });
    },

    startCall(request) {
      return new Promise<StartCallResult>((resolve, reject) => {
        appends.push({ request, resolve, reject });
        flushSoon();
      });
    },

    complete(claim, fields) {
      return new Promise<boolean>((resolve, reject) => {
        pending.push({ claim, fields, resolve, reject });
        flushSoon();
      });
    },

    async retryLater(claim, message, delayMs) {
      const set = endedWithoutResult({
        status: sql`'Queued'`,
        error: sql`${message}::text`,
        nextAttemptAt: sql`now() + ${ms(delayMs)}`,
        completedAt: sql`NULL::timestamptz`,
        attempts: freedAttempt,
      });
      return db.transaction(async (tx) => {
        const written = (await endAttempts(tx, set, freeLeases([claim]))).length > 0;
        await endCalls(
          tx,
          callInput([claim], () => (written ? 'retried' : 'cancelled')),
        );
        return written;
      });
    },

    async fail(claim, message) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.execute(sql`
          WITH freed AS (${freeLeases([claim])})
          UPDATE ${t} SET
            ${target(t.deep_scan_status)} = 'Error',
            ${target(t.deep_scan_error)} = ${message}::text,
            ${target(t.deep_scan_completed_at)} = now(),
            ${target(t.deep_scan_attempts)} = freed.attempt,
            ${target(t.deep_scan_claimed_by)} = freed.claimed_by,
            ${target(t.deep_scan_next_attempt_at)} = NULL
          FROM freed WHERE ${t.id} = freed.id AND ${t.deep_scan_status} = 'Queued'
          RETURNING ${t.id} AS id`);
        const written = rows.length > 0;
        await endCalls(
          tx,
          callInput([claim], () => (written ? 'failed' : 'cancelled')),
        );
        return written;
      });
    },

    async release(claims, delayMs, callOutcome = 'cancelled') {
      if (claims.length === 0) return 0;
      const set = endedWithoutResult({
        status: sql`'Queued'`,
        error: sql`${t.deep_scan_error}`,
        nextAttemptAt: sql`now() + ${ms(delayMs)}`,
        // The attempt does not count: the place keeps the count it had before the claim.
        completedAt: sql`NULL::timestamptz`,
      });
      const ledger = callInput(claims, () => callOutcome);
      if (ledger.length === 0) return (await endAttempts(db, set, freeLeases(claims))).length;
      return db.transaction(async (tx) => {
        const ended = (await endAttempts(tx, set, freeLeases(claims))).length;
        await endCalls(tx, ledger);
        return ended;
      });
    },

    async extendLeases(claims, leaseMs) {
      if (claims.length === 0) return new Set();
      const input = JSON.stringify(claims.map((c) => ({ id: c.id, token: c.token })));
      const { rows } = await beatDb.execute<{ id: number }>(sql`
        UPDATE ${leases} SET ${target(leases.expires_at)} = now() + ${ms(leaseMs)}
        FROM jsonb_to_recordset(${input}::jsonb) AS x(id integer, token text)
        WHERE ${leases.place_row} = x.id AND ${leases.claim_token} = x.token
        RETURNING ${leases.place_row} AS id`);
      return new Set(rows.map((r) => r.id));
    },

    async sweepExpiredLeases(maxAttempts, openCallsBefore) {
      // Calls whose outcome was never written (their worker died after sending them).
      if (openCallsBefore !== undefined) {
        await beatDb
          .update(calls)
          .set({ outcome: 'cancelled' })
          .where(
            sql`${calls.outcome} IS NULL AND ${calls.started_at} < ${new Date(openCallsBefore)}`,
          );
      }
      await adoptLegacyClaims();
      // SKIP LOCKED: a lease being ended or extended right now is not waited for; the DELETE
      // re-checks the expiry, so a lease extended meanwhile is left alone.
      const expired = sql`${leases.expires_at} < now()`;
      const last = sql`${freedAttempt} >= ${maxAttempts}::int`;
      const set = endedWithoutResult({
        status: sql`CASE WHEN ${last} THEN 'Error' ELSE 'Queued' END`,
        error: sql`CASE WHEN ${last}
            THEN ${leaseExpiredMessage(freedAttempt)} ELSE ${t.deep_scan_error} END`,
        nextAttemptAt: sql`CASE WHEN ${last} THEN NULL ELSE now() END`,
        completedAt: sql`CASE WHEN ${last} THEN now() ELSE NULL END`,
        attempts: freedAttempt,
      });
      const statuses = await endAttempts(
        beatDb,
        set,
        sql`DELETE FROM ${leases} WHERE ${expired} AND ${leases.place_row} IN (
            SELECT ${leases.place_row} FROM ${leases} WHERE ${expired}
            ORDER BY ${leases.expires_at} LIMIT 1000
            FOR UPDATE SKIP LOCKED)
          RETURNING ${leases.place_row} AS id, ${leases.attempt} AS attempt,
            ${leases.claimed_by} AS claimed_by`,
      );
      // A place queued by hand without a due time would never be claimed: make it due now.
      await beatDb
        .update(t)
        .set({
          deep_scan_next_attempt_at: sql`COALESCE(${t.deep_scan_queued_at}, now())`,
          deep_scan_queued_at: sql`COALESCE(${t.deep_scan_queued_at}, now())`,
        })
        .where(sql`${t.deep_scan_status} = 'Queued' AND ${t.deep_scan_next_attempt_at} IS NULL`);
      const failed = statuses.filter((s) => s === 'Error').length;
      const cancelled = statuses.filter((s) => s === null).length;
      return { requeued: statuses.length - failed - cancelled, failed, cancelled };
    },

    async pauseAll(pauseMs, reason) {
      await db
        .update(control)
        .set({
          paused_until: sql`GREATEST(COALESCE(${control.paused_until}, now()), now() + ${ms(pauseMs)})`,
          pause_reason: reason,
          updated_at: sql`now()`,
        })
        .where(eq(control.name, CONTROL_ROW));
    },

    readPause,

    async heartbeat(workerId, scansLastMinute) {
      await beatDb
        .insert(workers)
        .values({ worker_id: workerId, scans_last_minute: scansLastMinute })
        .onConflictDoUpdate({
          target: workers.worker_id,
          set: { last_seen_at: sql`now()`, scans_last_minute: scansLastMinute },
        });
    },

    async removeWorker(workerId) {
      await db.delete(workers).where(eq(workers.worker_id, workerId));
    },

    async readProgress(day = utcDayOf(Date.now())) {
      const [byStatus, live, pause, cancelled, budget] = await Promise.all([
        // One statement, so the counts always add up to the total and the oldest queued age is
        // read from the same snapshot (from a statement of its own it could see a place still
        // queued that the counts saw completed).
        db
          .select({
            status: pgScanState(t),
            n: count(),
            age: sql<number | null>`(EXTRACT(EPOCH FROM now() - min(${t.deep_scan_queued_at})
              FILTER (WHERE ${t.deep_scan_status} = 'Queued')))::float8`,
          })
          .from(t)
          .groupBy(sql`1`),
        db
          .select({ workerId: workers.worker_id, scansPerMinute: workers.scans_last_minute })
          .from(workers)
          .where(gt(workers.last_seen_at, sql`now() - ${ms(WORKER_STALE_MS)}`)),
        readPause(),
        db
          .select({ value: counters.value })
          .from(counters)
          .where(eq(counters.name, CANCELLED_COUNTER)),
        db.execute<{ daily_call_limit: number | null; calls_today: number | null }>(sql`
          SELECT ${control.daily_call_limit} AS daily_call_limit,
                 CASE WHEN ${control.daily_call_limit} IS NULL THEN NULL ELSE ${callsOn(day)} END
                   AS calls_today
          FROM ${control} WHERE ${control.name} = ${CONTROL_ROW}`),
      ]);
      const limit = budget.rows[0]?.daily_call_limit ?? null;
      const counts = emptyCounts();
      let age: number | null = null;
      for (const row of byStatus) {
        counts[row.status ?? 'none'] += row.n;
        if (row.age !== null) age = Math.max(age ?? row.age, row.age);
      }
      return {
        counts,
        oldestQueuedAgeSeconds: age === null ? null : Math.max(0, age),
        scansPerMinute: live.reduce((sum, w) => sum + w.scansPerMinute, 0),
        liveWorkers: live,
        pause,
        cancelled: cancelled[0]?.value ?? 0,
        budget: limit === null ? null : { limit, callsToday: budget.rows[0]?.calls_today ?? 0 },
      };
    },

    async close() {
      endHold();
      await Promise.all([heartbeatPool?.end(), lane?.end()]);
    },
  };
}
