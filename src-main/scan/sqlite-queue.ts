import {
  and,
  asc,
  count,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  min,
  sql,
  type SQL,
} from 'drizzle-orm';
import {
  localBusinesses as lb,
  placesApiCalls as calls,
  placesStaging as t,
  scanControl as control,
  scanCounters as counters,
  scanWorkers as workers,
} from '../db/schema.sqlite';
import type { SqliteStore, SqliteTx } from '../db/store';
import type { PlacesApiCallOutcome } from '../../src-shared/domain';
import { endedWithoutResult, holds, holdsAny, replaceBusinessRow } from './guards';
import {
  CANCELLED_COUNTER,
  CONTROL_ROW,
  emptyCounts,
  nothingClaimed,
  leaseExpiredMessage,
  WORKER_STALE_MS,
  type ClaimedPlace,
  type CallDay,
  type ClaimResult,
  type ScanQueue,
  type SharedPause,
  recordedCall,
  utcDayOf,
} from './queue';
import { DAY_MS } from '../../src-shared/time';

type Db = SqliteStore['db'];

const IMMEDIATE = { behavior: 'immediate' } as const;

/**
 * The scan queue on the embedded SQLite store: one process, synchronous better-sqlite3, every
 * read-then-write under BEGIN IMMEDIATE. Times are the process clock (epoch ms columns). The
 * pause and the rate limit use the same control row as on PostgreSQL; with one process that is
 * simply the in-process limit, and a pause survives a restart.
 */
/** The reviewer still wants the scan: only such places are claimed or go back to the queue. */
const selected = eq(t.status, 'Selected');

/**
 * A place whose claim ended without a result (crash, lost lease) goes back to the queue, due now,
 * or to Error once it has used its last attempt; or is cancelled when it left Selected.
 */
function requeueOrFail(maxAttempts: number, now: number) {
  const last = sql`${t.deep_scan_attempts} >= ${maxAttempts}`;
  return endedWithoutResult(t, {
    status: sql`CASE WHEN ${last} THEN 'Error' ELSE 'Queued' END`,
    error: sql`CASE WHEN ${last} THEN ${leaseExpiredMessage(sql`${t.deep_scan_attempts}`)} ELSE ${t.deep_scan_error} END`,
    completedAt: sql`CASE WHEN ${last} THEN ${now} ELSE NULL END`,
    nextAttemptAt: sql`CASE WHEN ${last} THEN NULL ELSE ${now} END`,
  });
}

export interface SqliteScanQueueOptions {
  /** The clock (epoch ms) every time written or compared comes from; tests inject one. */
  clock?: () => number;
}

export function createSqliteScanQueue(
  store: SqliteStore,
  options: SqliteScanQueueOptions = {},
): ScanQueue {
  const { db } = store;
  const clock = options.clock ?? Date.now;

  /**
   * Ends attempts without a result in one transaction: the guarded UPDATE, then the cancelled
   * counter for the places it cancelled. Returns the new deep_scan_status of each place.
   */
  function endAttempts(
    tx: SqliteTx,
    set: ReturnType<typeof endedWithoutResult>,
    where: SQL,
  ): (string | null)[] {
    const rows = tx.update(t).set(set).where(where).returning({ status: t.deep_scan_status }).all();
    const cancelled = rows.filter((r) => r.status === null).length;
    if (cancelled > 0) {
      tx.update(counters)
        .set({ value: sql`${counters.value} + ${cancelled}` })
        .where(eq(counters.name, CANCELLED_COUNTER))
        .run();
    }
    return rows.map((r) => r.status);
  }

  function pauseOf(
    row: { paused_until: Date | null; pause_reason: string | null } | undefined,
    now: number,
  ): SharedPause | null {
    const remainingMs = row?.paused_until ? row.paused_until.getTime() - now : 0;
    return remainingMs > 0
      ? { remainingMs, reason: row?.pause_reason ?? 'Deep scans are paused.' }
      : null;
  }

  function nextDueInMs(tx: SqliteTx | Db, now: number): number | null {
    const row = tx
      .select({ at: min(t.deep_scan_next_attempt_at) })
      .from(t)
      .where(
        and(
          eq(t.deep_scan_status, 'Queued'),
          gt(t.deep_scan_next_attempt_at, new Date(now)),
          selected,
        ),
      )
      .get();
    return row?.at ? Math.max(0, row.at.getTime() - now) : null;
  }

  /** Completes the ledger rows of the claims' calls (once: rows already completed stay). */
  function endCalls(
    tx: SqliteTx,
    claims: ClaimedPlace[],
    outcome: (c: ClaimedPlace) => PlacesApiCallOutcome,
  ) {
    for (const claim of claims) {
      const call = recordedCall(claim);
      if (!call) continue;
      tx.update(calls)
        .set({
          outcome: outcome(claim),
          duration_ms: call.durationMs,
          http_status: call.httpStatus,
        })
        .where(and(eq(calls.id, call.id), isNull(calls.outcome)))
        .run();
    }
  }

  function callsOn(tx: SqliteTx | Db, day: CallDay): number {
    return (
      tx
        .select({ n: count() })
        .from(calls)
        .where(
          and(
            gte(calls.started_at, new Date(day.startMs)),
            lt(calls.started_at, new Date(day.endMs)),
          ),
        )
        .get()?.n ?? 0
    );
  }

  const readPause = async () =>
    pauseOf(db.select().from(control).where(eq(control.name, CONTROL_ROW)).get(), clock());

  return {
    kind: 'sqlite',

    async prepare(maxAttempts) {
      return db.transaction((tx) => {
        tx.insert(control).values({ name: CONTROL_ROW }).onConflictDoNothing().run();
        tx.insert(counters).values({ name: CANCELLED_COUNTER }).onConflictDoNothing().run();
        tx.delete(workers)
          .where(lt(workers.last_seen_at, new Date(clock() - DAY_MS)))
          .run();
        // One process scans this file (the scheduler holds the file's scan lock, see
        // sqlite-scan-lock.ts): whatever is still Processing was left by one that is gone.
        const now = clock();
        const recovered = endAttempts(
          tx,
          requeueOrFail(maxAttempts, now),
          eq(t.deep_scan_status, 'Processing'),
        ).length;
        // Calls whose outcome was never written (the process ended after sending them).
        tx.update(calls).set({ outcome: 'cancelled' }).where(isNull(calls.outcome)).run();
        return { recovered };
      }, IMMEDIATE);
    },

    async claim(request): Promise<ClaimResult> {
      const burst = Math.max(1, request.ratePerSecond);
      return db.transaction((tx) => {
        const now = clock();
        const ctl = tx.select().from(control).where(eq(control.name, CONTROL_ROW)).get();
        if (!ctl) {
          tx.insert(control).values({ name: CONTROL_ROW }).onConflictDoNothing().run();
          return nothingClaimed();
        }
        // The store's limit; the day's calls are counted only under one.
        const dailyCallLimit = ctl.daily_call_limit;
        const callsToday = dailyCallLimit === null ? 0 : callsOn(tx, request.day ?? utcDayOf(now));
        const budget =
          dailyCallLimit === null ? Infinity : Math.max(0, dailyCallLimit - callsToday);
        const elapsedSeconds = Math.max(0, now - ctl.rate_refilled_at.getTime()) / 1000;
        const tokens = Math.min(burst, ctl.rate_tokens + request.ratePerSecond * elapsedSeconds);
        const pause = pauseOf(ctl, now);
        const limit = pause ? 0 : Math.min(request.limit, Math.floor(tokens), budget);
        let places: ClaimedPlace[] = [];
        if (limit > 0) {
          const due = tx
            .select({ id: t.id })
            .from(t)
            .where(
              and(
                eq(t.deep_scan_status, 'Queued'),
                lte(t.deep_scan_next_attempt_at, new Date(now)),
                selected,
              ),
            )
            .orderBy(asc(t.deep_scan_next_attempt_at), asc(t.id))
            .limit(limit);
          places = tx
            .update(t)
            .set({
              deep_scan_status: 'Processing',
              deep_scan_attempts: sql`${t.deep_scan_attempts} + 1`,
              deep_scan_claim_token: request.token,
              deep_scan_claimed_by: request.workerId,
              deep_scan_lease_expires_at: new Date(now + request.leaseMs),
            })
            .where(inArray(t.id, due))
            .returning({ id: t.id, placeId: t.place_id, attempt: t.deep_scan_attempts })
            .all()
            .map((row) => ({ ...row, token: request.token }));
        }
        if (places.length > 0) {
          tx.update(control)
            .set({
              rate_tokens: tokens - places.length,
              rate_refilled_at: new Date(Math.max(now, ctl.rate_refilled_at.getTime())),
            })
            .where(eq(control.name, CONTROL_ROW))
            .run();
        }
        return {
          places,
          tokensBefore: tokens,
          nextDueInMs: nextDueInMs(tx, now),
          pause,
          dailyCallLimit,
          callsToday,
        };
      }, IMMEDIATE);
    },

    async startCall(request) {
      return db.transaction((tx) => {
        const limit =
          tx
            .select({ limit: control.daily_call_limit })
            .from(control)
            .where(eq(control.name, CONTROL_ROW))
            .get()?.limit ?? null;
        if (limit !== null && callsOn(tx, request.day) >= limit) {
          return { id: null, limitReached: limit };
        }
        const row = tx
          .insert(calls)
          .values({
            place_id: request.placeId,
            worker_id: request.workerId,
            started_at: new Date(request.startedAt),
            field_mask: request.fieldMask,
          })
          .returning({ id: calls.id })
          .get();
        return { id: row.id };
      }, IMMEDIATE);
    },

    async complete(claim, fields) {
      return db.transaction((tx) => {
        const now = clock();
        const done = tx
          .update(t)
          .set({
            deep_scan_status: 'Completed',
            deep_scan_error: null,
            deep_scan_completed_at: new Date(now),
            deep_scan_claim_token: null,
            deep_scan_lease_expires_at: null,
            deep_scan_next_attempt_at: null,
          })
          .where(holds(t, claim))
          .returning({ id: t.id })
          .all();
        endCalls(tx, [claim], () => (done.length > 0 ? 'completed' : 'cancelled'));
        if (done.length === 0) return false;
        tx.insert(lb)
          .values(fields)
          .onConflictDoUpdate({ target: lb.place_id, set: replaceBusinessRow(lb, sql`${now}`) })
          .run();
        return true;
      }, IMMEDIATE);
    },

    async retryLater(claim, message, delayMs) {
      const set = endedWithoutResult(t, {
        status: sql`'Queued'`,
        error: sql`${message}`,
        nextAttemptAt: sql`${Math.round(clock() + delayMs)}`,
        completedAt: sql`NULL`,
      });
      return db.transaction((tx) => {
        const written = endAttempts(tx, set, holds(t, claim)).length > 0;
        endCalls(tx, [claim], () => (written ? 'retried' : 'cancelled'));
        return written;
      }, IMMEDIATE);
    },

    async fail(claim, message) {
      return db.transaction((tx) => {
        const written =
          tx
            .update(t)
            .set({
              deep_scan_status: 'Error',
              deep_scan_error: message,
              deep_scan_completed_at: new Date(clock()),
              deep_scan_claim_token: null,
              deep_scan_lease_expires_at: null,
              deep_scan_next_attempt_at: null,
            })
            .where(holds(t, claim))
            .run().changes > 0;
        endCalls(tx, [claim], () => (written ? 'failed' : 'cancelled'));
        return written;
      }, IMMEDIATE);
    },

    async release(claims, delayMs, callOutcome = 'cancelled') {
      if (claims.length === 0) return 0;
      const set = endedWithoutResult(t, {
        status: sql`'Queued'`,
        error: sql`${t.deep_scan_error}`,
        nextAttemptAt: sql`${Math.round(clock() + delayMs)}`,
        completedAt: sql`NULL`,
        attempts: sql`MAX(0, ${t.deep_scan_attempts} - 1)`,
      });
      return db.transaction((tx) => {
        const ended = endAttempts(tx, set, holdsAny(t, claims)).length;
        endCalls(tx, claims, () => callOutcome);
        return ended;
      }, IMMEDIATE);
    },

    async extendLeases(claims, leaseMs) {
      if (claims.length === 0) return new Set();
      const rows = db
        .update(t)
        .set({ deep_scan_lease_expires_at: new Date(clock() + leaseMs) })
        .where(holdsAny(t, claims))
        .returning({ id: t.id })
        .all();
      return new Set(rows.map((r) => r.id));
    },

    async sweepExpiredLeases(maxAttempts, openCallsBefore) {
      return db.transaction((tx) => {
        const now = clock();
        if (openCallsBefore !== undefined) {
          tx.update(calls)
            .set({ outcome: 'cancelled' })
            .where(and(isNull(calls.outcome), lt(calls.started_at, new Date(openCallsBefore))))
            .run();
        }
        const expired = and(
          eq(t.deep_scan_status, 'Processing'),
          lt(t.deep_scan_lease_expires_at, new Date(now)),
        )!;
        const statuses = endAttempts(tx, requeueOrFail(maxAttempts, now), expired);
        // A place queued by hand without a due time would never be claimed: make it due now.
        tx.update(t)
          .set({
            deep_scan_next_attempt_at: sql`COALESCE(${t.deep_scan_queued_at}, ${now})`,
            deep_scan_queued_at: sql`COALESCE(${t.deep_scan_queued_at}, ${now})`,
          })
          .where(sql`${t.deep_scan_status} = 'Queued' AND ${t.deep_scan_next_attempt_at} IS NULL`)
          .run();
        const failed = statuses.filter((s) => s === 'Error').length;
        const cancelled = statuses.filter((s) => s === null).length;
        return { requeued: statuses.length - failed - cancelled, failed, cancelled };
      }, IMMEDIATE);
    },

    async pauseAll(pauseMs, reason) {
      const until = Math.round(clock() + pauseMs);
      db.update(control)
        .set({
          paused_until: sql`MAX(COALESCE(${control.paused_until}, 0), ${until})`,
          pause_reason: reason,
          updated_at: new Date(clock()),
        })
        .where(eq(control.name, CONTROL_ROW))
        .run();
    },

    readPause,

    async heartbeat(workerId, scansLastMinute) {
      const now = new Date(clock());
      db.insert(workers)
        .values({ worker_id: workerId, scans_last_minute: scansLastMinute, last_seen_at: now })
        .onConflictDoUpdate({
          target: workers.worker_id,
          set: { last_seen_at: now, scans_last_minute: scansLastMinute },
        })
        .run();
    },

    async removeWorker(workerId) {
      db.delete(workers).where(eq(workers.worker_id, workerId)).run();
    },

    async readProgress(day) {
      const now = clock();
      const budgetDay = day ?? utcDayOf(now);
      // One read transaction: the counts add up to the total.
      return db.transaction((tx) => {
        const counts = emptyCounts();
        for (const row of tx
          .select({ status: t.deep_scan_status, n: count() })
          .from(t)
          .groupBy(t.deep_scan_status)
          .all()) {
          counts[row.status ?? 'none'] += row.n;
        }
        const oldest = tx
          .select({ at: min(t.deep_scan_queued_at) })
          .from(t)
          .where(eq(t.deep_scan_status, 'Queued'))
          .get()?.at;
        const live = tx
          .select({ workerId: workers.worker_id, scansPerMinute: workers.scans_last_minute })
          .from(workers)
          .where(gt(workers.last_seen_at, new Date(now - WORKER_STALE_MS)))
          .all();
        const ctl = tx.select().from(control).where(eq(control.name, CONTROL_ROW)).get();
        const cancelled = tx
          .select({ value: counters.value })
          .from(counters)
          .where(eq(counters.name, CANCELLED_COUNTER))
          .get();
        return {
          counts,
          oldestQueuedAgeSeconds: oldest ? Math.max(0, (now - oldest.getTime()) / 1000) : null,
          scansPerMinute: live.reduce((sum, w) => sum + w.scansPerMinute, 0),
          liveWorkers: live,
          pause: pauseOf(ctl, now),
          cancelled: cancelled?.value ?? 0,
          budget:
            ctl?.daily_call_limit == null
              ? null
              : { limit: ctl.daily_call_limit, callsToday: callsOn(tx, budgetDay) },
        };
      });
    },

    async close() {},
  };
}
