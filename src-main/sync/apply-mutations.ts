import { inArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import {
  syncMutationSchema,
  type SyncMutation,
  type SyncMutationResult,
  type SyncPlaceState,
} from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import * as pgSchema from '../db/schema.pg';
import { appliedMutations, deepScanLeases as leases, placesStaging as t } from '../db/schema.pg';
import { isConnectionException } from '../db/pooler-errors';
import { CONFLICT_CODES } from '../db/retry';
import type { PgStore, PgTx } from '../db/store';
import { errorSummary } from '../error-summary';
import { updateStatusInTransaction } from '../places/pg-repository';
import { pgScanState, statusUpdateResult } from '../places/queries';

/** The scan state of the place aliased `p` as reviewers see it (leased Queued is Processing). */
const pScanState = pgScanState({ id: sql`p.id`, deep_scan_status: sql`p.deep_scan_status` });

/**
 * Failures after which the same mutation may well succeed later: the connection was lost or
 * refused, the server is shutting down, a lock or statement timeout, too many connections, no
 * pooled connection in time, a serialization failure or deadlock. The transaction rolled back.
 */
const TEMPORARY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  ...CONFLICT_CODES,
  '53300',
  '55P03',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);
const TEMPORARY_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed)/;

export function isTemporaryFailure(error: unknown): boolean {
  const { code, message } = errorSummary(error);
  return (
    (code !== undefined && TEMPORARY_CODES.has(code)) ||
    // Every connection exception, also a transaction-mode PgBouncer's own (pooler-errors.ts).
    isConnectionException(code) ||
    TEMPORARY_MESSAGES.test(message)
  );
}

export interface ApplyReport {
  /** One result per mutation that was decided (this time or before), in batch order. */
  results: SyncMutationResult[];
  /**
   * Set when the batch stopped before its end: `index` is the first mutation not applied, the
   * first of the segment whose transaction rolled back (applied_mutations included; it and the
   * rest are to be sent again).
   * `temporary` says whether waiting and retrying should help (a lost connection, a timeout); an
   * unexpected error also stops the batch, but is not a reason to reject the decision.
   */
  stopped: { index: number; mutationId: string; temporary: boolean; error: string } | null;
}

type PlaceSnapshot = Pick<
  typeof t.$inferSelect,
  'status' | 'status_revision' | 'updated_by' | 'updated_at' | 'deep_scan_status'
>;

function placeState(p: PlaceSnapshot): SyncPlaceState {
  return {
    status: p.status,
    status_revision: p.status_revision,
    updated_by: p.updated_by,
    updated_at: p.updated_at.toISOString(),
    deep_scan_status: p.deep_scan_status,
  };
}

/**
 * Step 6's counts for one place, from its state as locked before the update: the same counts
 * statusUpdateCounts() takes over a row set (see queries.ts), for a set of one row. The sum over
 * a group is checked against what updateStatusInTransaction counted for the whole group.
 */
function countsOf(
  p: PlaceSnapshot,
  target: PlaceStatus,
): NonNullable<SyncMutationResult['counts']> {
  const scan = p.deep_scan_status;
  const one = (x: boolean) => (x ? 1 : 0);
  const c = statusUpdateResult(
    {
      matched: 1,
      updated: one(p.status !== target),
      queueable: one(scan === null || scan === 'Error'),
      queued: one(scan === 'Queued'),
      processing: one(scan === 'Processing'),
      completed: one(scan === 'Completed'),
    },
    target,
    [],
    null,
  );
  return {
    updated: c.updated_count,
    queued: c.queued_count,
    dequeued: c.dequeued_count,
    already_queued: c.already_queued_count,
    already_scanned: c.already_scanned_count,
  };
}

/** What the first statement of a segment answers per mutation, in segment order. */
interface ClaimRow extends Record<string, unknown> {
  ord: number;
  /** false: the id was in applied_mutations already (a repeat); `stored` is its result. */
  claimed: boolean;
  stored: SyncMutationResult | null;
  /** The place as locked (null columns when there is no such place, or for a repeat). */
  place_id: string | null;
  status: PlaceStatus | null;
  status_revision: number | null;
  updated_by: string | null;
  updated_at: string | null;
  deep_scan_status: PlaceSnapshot['deep_scan_status'];
  /** The column itself: 'Queued' for a place read as Queued or, leased, as Processing. */
  raw_scan_status: PlaceSnapshot['deep_scan_status'];
  /** The time every write of this segment carries. */
  now: string;
}

/**
 * A timestamptz as drizzle's node-postgres driver hands it to raw queries (text: drizzle turns
 * pg's date parsing off), made a Date the way drizzle's own timestamp column does it, so a place
 * read here is the same as one read with a typed select.
 */
const timestamp = (text: string): Date => new Date(text);

/**
 * One segment (no place and no mutation id twice) in one transaction, with a fixed number of
 * statements whatever its length:
 *
 * 1. one statement reads the clock, records every id in applied_mutations (ON CONFLICT DO
 *    NOTHING: the ids already there are repeats and get their stored result, nothing else), and
 *    locks the places of the new ones in row id order (FOR UPDATE), reading them as locked: the
 *    order updateStatusInTransaction locks in, so two pushes, or a push and a reviewer's update,
 *    never deadlock (place_id order would cross a reviewer's id order);
 * 2. each new mutation is classified: no such place, rejected; at its base revision, applied;
 *    already at the target status, agreed; otherwise a conflict carrying theirs;
 * 3. step 6 for the applied ones by the reviewers' own code (updateStatusInTransaction), one call
 *    per target status and user (at most five statuses), without the undo journal;
 * 4. every outcome and result is stored in one UPDATE, which also reads the applied places back
 *    as step 6 left them; its RETURNING is the answer (the stored JSON, so a repeat gets the
 *    very same).
 *
 * So a segment costs 4 + 2 x (target statuses and users among the applied) round trips: BEGIN,
 * the claim, step 6's lock-and-count and update per group, the store, COMMIT.
 */
async function applySegment(
  tx: PgTx,
  segment: readonly SyncMutation[],
  fixedNow: Date | undefined,
): Promise<SyncMutationResult[]> {
  const input = JSON.stringify(
    segment.map((m, ord) => ({
      ord,
      mutation_id: m.mutation_id,
      place_id: m.place_id,
      user_id: m.user_id,
      target_status: m.target_status,
      base_revision: m.base_revision,
    })),
  );
  // Without a given time, the transaction's own clock (at the millisecond a JS Date can carry,
  // so every column written by this segment holds exactly the same instant).
  const clock = fixedNow
    ? sql`${sql.param(fixedNow, appliedMutations.applied_at)}::timestamptz`
    : sql`date_trunc('milliseconds', now())`;
  const { rows } = await tx.execute<ClaimRow>(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${input}::jsonb) AS x(ord int, mutation_id uuid,
        place_id text, user_id text, target_status text, base_revision int)
    ),
    clock AS (SELECT ${clock} AS now),
    claimed AS (
      INSERT INTO ${appliedMutations} (mutation_id, place_id, user_id, target_status,
        base_revision, outcome, result, applied_at)
      SELECT input.mutation_id, input.place_id, input.user_id, input.target_status,
        input.base_revision, 'rejected', '{"pending": true}'::jsonb, clock.now
      -- In id order: two pushes sharing ids never wait for each other in a cycle.
      FROM input, clock ORDER BY input.mutation_id
      ON CONFLICT (mutation_id) DO NOTHING
      RETURNING mutation_id, place_id
    ),
    locked AS MATERIALIZED (
      SELECT p.place_id, p.status, p.status_revision, p.updated_by, p.updated_at,
             ${pScanState} AS deep_scan_status, p.deep_scan_status AS raw_scan_status
      FROM ${t} AS p WHERE p.place_id IN (SELECT place_id FROM claimed)
      ORDER BY p.id FOR UPDATE OF p
    )
    SELECT input.ord, claimed.mutation_id IS NOT NULL AS claimed,
           -- The statement's snapshot predates its own INSERT: only repeats are found here.
           stored.result AS stored,
           locked.place_id, locked.status, locked.status_revision, locked.updated_by,
           locked.updated_at, locked.deep_scan_status, locked.raw_scan_status, clock.now
    FROM input CROSS JOIN clock
    LEFT JOIN claimed ON claimed.mutation_id = input.mutation_id
    LEFT JOIN ${appliedMutations} AS stored
      ON stored.mutation_id = input.mutation_id AND claimed.mutation_id IS NULL
    LEFT JOIN locked ON locked.place_id = claimed.place_id
    ORDER BY input.ord`);
  if (rows.length !== segment.length) throw new Error('applyMutations: claim rows mismatch');
  const now = timestamp(rows[0]!.now);
  // A repeat whose first push was still running when this statement started (a resend racing
  // the original): the INSERT waited for it to commit, then skipped the id, but the statement's
  // snapshot predates that commit, so its stored result is read by a new statement. Rare: only
  // then does a segment cost one more round trip.
  const late = rows.filter((row) => !row.claimed && !row.stored);
  if (late.length > 0) {
    const ids = late.map((row) => segment[row.ord]!.mutation_id);
    const stored = await tx
      .select({ mutation_id: appliedMutations.mutation_id, result: appliedMutations.result })
      .from(appliedMutations)
      .where(inArray(appliedMutations.mutation_id, ids));
    const byId = new Map(stored.map((x) => [x.mutation_id, x.result]));
    for (const row of late) row.stored = byId.get(segment[row.ord]!.mutation_id) ?? null;
  }

  // The statement above read a place's lease in its snapshot, taken before it waited for the
  // place's row lock, but the place itself as it was once locked. So a worker's write that
  // committed during that wait is half seen: a claim's new lease is missed (the place read as
  // Queued, yet Processing), an attempt's end is missed (its lease deleted, the place left
  // Queued for a retry, yet read as Processing). Now that the places are locked, no claim can
  // take them and no attempt can end, so a second look at the leases of the places read as
  // either is the state step 6 will see.
  const leasable = rows.filter((row) => row.claimed && row.raw_scan_status === 'Queued');
  if (leasable.length > 0) {
    const { rows: held } = await tx.execute<{ place_id: string }>(sql`
      SELECT ${t.place_id} AS place_id FROM ${t} JOIN ${leases} ON ${leases.place_row} = ${t.id}
      WHERE ${t.place_id} = ANY(${sql.param(leasable.map((row) => row.place_id!))}::text[])`);
    const leased = new Set(held.map((row) => row.place_id));
    for (const row of leasable) {
      row.deep_scan_status = leased.has(row.place_id!) ? 'Processing' : 'Queued';
    }
  }

  const outcomes: (SyncMutationResult | null)[] = segment.map(() => null);
  const answers: (SyncMutationResult | null)[] = segment.map(() => null);
  /** Applied mutations by target status and user: one step 6 call each. */
  const groups = new Map<string, { status: PlaceStatus; userId: string; ords: number[] }>();
  for (const row of rows) {
    const m = segment[row.ord]!;
    if (!row.claimed) {
      answers[row.ord] = row.stored!;
      continue;
    }
    const base = { mutation_id: m.mutation_id, place_id: m.place_id };
    if (row.place_id === null) {
      outcomes[row.ord] = {
        ...base,
        outcome: 'rejected',
        place: null,
        theirs: null,
        counts: null,
        reason: 'no such place',
      };
      continue;
    }
    const place: PlaceSnapshot = {
      status: row.status!,
      status_revision: row.status_revision!,
      updated_by: row.updated_by,
      updated_at: timestamp(row.updated_at!),
      deep_scan_status: row.deep_scan_status,
    };
    if (place.status_revision === m.base_revision) {
      const key = `${m.target_status}\u0000${m.user_id}`;
      const group = groups.get(key) ?? { status: m.target_status, userId: m.user_id, ords: [] };
      group.ords.push(row.ord);
      groups.set(key, group);
      // The place is filled in by the statement that stores the result, after the update; the
      // counts come from the state as locked.
      outcomes[row.ord] = {
        ...base,
        outcome: 'applied',
        place: null,
        theirs: null,
        counts: countsOf(place, m.target_status),
        reason: null,
      };
    } else if (place.status === m.target_status) {
      outcomes[row.ord] = {
        ...base,
        outcome: 'agreed',
        place: placeState(place),
        theirs: null,
        counts: null,
        reason: null,
      };
    } else {
      const state = placeState(place);
      outcomes[row.ord] = {
        ...base,
        outcome: 'conflict',
        place: state,
        theirs: {
          status: state.status,
          updated_by: state.updated_by,
          updated_at: state.updated_at,
          deep_scan_status: state.deep_scan_status,
        },
        counts: null,
        reason: null,
      };
    }
  }

  for (const group of groups.values()) {
    const ids = group.ords.map((ord) => segment[ord]!.place_id);
    // Step 6 for these places, by the reviewers' own code path: the scan is derived here.
    const c = await updateStatusInTransaction(
      tx,
      { kind: 'ids', ids },
      group.status,
      group.userId,
      now,
      { journal: false },
    );
    // The places were locked above, so step 6 saw them as we did: its counts for the group are
    // the sums of ours. A difference would mean a wrong answer to some client; refuse it.
    const sum = (pick: (x: NonNullable<SyncMutationResult['counts']>) => number) =>
      group.ords.reduce((acc, ord) => acc + pick(outcomes[ord]!.counts!), 0);
    const expected = [
      c.matched_count,
      c.updated_count,
      c.queued_count,
      c.dequeued_count,
      c.already_queued_count,
      c.already_scanned_count,
    ];
    const ours = [
      ids.length,
      sum((x) => x.updated),
      sum((x) => x.queued),
      sum((x) => x.dequeued),
      sum((x) => x.already_queued),
      sum((x) => x.already_scanned),
    ];
    if (expected.join() !== ours.join()) {
      throw new Error(
        `applyMutations: step 6 counted ${expected.join()}, per place ${ours.join()}`,
      );
    }
  }
  const decided = outcomes.flatMap((r) => (r ? [r] : []));
  if (decided.length > 0) {
    // One statement stores every outcome; for the applied ones it reads the place back as step
    // 6 left it (a later statement of the transaction sees its writes) into `result.place`, in
    // the form placeState() gives (updated_at as toISOString() writes it: UTC, milliseconds,
    // truncated as a JS Date truncates them), which saves a round trip.
    const stored = await tx.execute<{ mutation_id: string; result: SyncMutationResult }>(sql`
      UPDATE ${appliedMutations} AS am SET outcome = x.outcome,
        result = CASE WHEN x.outcome = 'applied' THEN jsonb_set(x.result, '{place}',
          jsonb_build_object(
            'status', p.status,
            'status_revision', p.status_revision,
            'updated_by', p.updated_by,
            'updated_at', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            'deep_scan_status', ${pScanState}))
          ELSE x.result END
      FROM jsonb_to_recordset(${JSON.stringify(
        decided.map((r) => ({
          mutation_id: r.mutation_id,
          place_id: r.place_id,
          outcome: r.outcome,
          result: r,
        })),
      )}::jsonb) AS x(mutation_id uuid, place_id text, outcome text, result jsonb)
      LEFT JOIN ${t} AS p ON x.outcome = 'applied' AND p.place_id = x.place_id
      WHERE am.mutation_id = x.mutation_id
      RETURNING am.mutation_id::text AS mutation_id, am.result`);
    // The stored JSON, so the first answer is the very one every repeat gets.
    const byId = new Map(stored.rows.map((r) => [r.mutation_id, r.result]));
    for (const [ord, r] of outcomes.entries()) {
      if (r) answers[ord] = byId.get(r.mutation_id) ?? null;
    }
  }
  return answers.map((answer, ord) => {
    if (!answer) throw new Error(`applyMutations: no result for ${segment[ord]!.mutation_id}`);
    return answer;
  });
}

/**
 * The batch cut where a place or a mutation id comes again: each segment is applied in one
 * transaction, so a later decision on a place sees the earlier one's effect (its revision).
 */
function segmentsOf(batch: readonly SyncMutation[]): { start: number; items: SyncMutation[] }[] {
  const segments: { start: number; items: SyncMutation[] }[] = [];
  let places = new Set<string>();
  let ids = new Set<string>();
  for (const [index, m] of batch.entries()) {
    if (segments.length === 0 || places.has(m.place_id) || ids.has(m.mutation_id)) {
      segments.push({ start: index, items: [] });
      places = new Set();
      ids = new Set();
    }
    segments.at(-1)!.items.push(m);
    places.add(m.place_id);
    ids.add(m.mutation_id);
  }
  return segments;
}

/**
 * One transaction on a pooled connection of its own that listens for its connection's errors:
 * a connection lost while checked out (the server restarted, pg_terminate_backend, a network cut)
 * makes pg emit 'error' on the client, which would be an uncaught exception (a crash) with no
 * listener. The transaction's query still fails, so the failure is reported, never swallowed; and
 * a connection that failed is destroyed, never given back to the pool.
 */
async function inTransaction<T>(store: PgStore, work: (tx: PgTx) => Promise<T>): Promise<T> {
  const client = await store.pool.connect();
  const onError = () => {};
  client.on('error', onError);
  let failed = false;
  try {
    return await drizzle(client, { schema: pgSchema }).transaction(work);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(failed);
  }
}

/**
 * Applies a batch of offline decisions to PostgreSQL, in order, each exactly once (keyed by its
 * mutation id in applied_mutations). The batch is validated first (nothing is applied if any
 * mutation is malformed: a ZodError). It is applied set-wise: one transaction per segment (the
 * whole batch unless a place comes twice, see segmentsOf), with a fixed number of statements per
 * segment. A permanent rejection (an unknown place) is recorded and the batch goes on; any
 * failure rolls back its whole segment and stops the batch there (`stopped.index` is the
 * segment's first mutation; `results` holds the earlier segments').
 * `now`, when given, is the time every write of the batch carries (tests); when omitted (the
 * push), each transaction reads the database's own clock once: no client clock decides anything.
 */
export async function applyMutations(
  store: PgStore,
  mutations: readonly unknown[],
  now?: Date,
): Promise<ApplyReport> {
  const batch = syncMutationSchema.array().parse(mutations);
  const results: SyncMutationResult[] = [];
  for (const { start, items } of segmentsOf(batch)) {
    try {
      results.push(...(await inTransaction(store, (tx) => applySegment(tx, items, now))));
    } catch (error) {
      return {
        results,
        stopped: {
          index: start,
          mutationId: batch[start]!.mutation_id,
          temporary: isTemporaryFailure(error),
          error: errorSummary(error).message,
        },
      };
    }
  }
  return { results, stopped: null };
}
