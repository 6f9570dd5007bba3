import { sql, type SQL } from 'drizzle-orm';
import type { ScanProgress } from '../../src-shared/contract/events';
import type { PlacesApiCallOutcome } from '../../src-shared/domain';
import type { LocalBusinessFields } from './places-api/map-to-local-business';
import { DAY_MS } from '../../src-shared/time';

/** A place this process holds: `token` is the claim's secret; every write checks it. */
export interface ClaimedPlace {
  id: number;
  placeId: string;
  /** Attempts so far, this one included. */
  attempt: number;
  token: string;
  /**
   * The Places API call of this attempt, once its ledger row exists or is on its way (see
   * {@link ScanQueue.startCall}): whatever writes the attempt's outcome completes that row in the
   * same transaction.
   */
  call?: ApiCall;
}

/** A Places API call recorded in the spend ledger (places_api_calls). */
export interface ApiCall {
  /**
   * The ledger row's id; null while the row is on its way to the store (see
   * {@link StartCallResult}), or when it could not be written.
   */
  id: number | null;
  /** When it started, on the scheduler's clock (epoch ms). */
  startedAt: number;
  durationMs: number | null;
  /** The HTTP status of the answer; null without one (timeout, network error) or before it. */
  httpStatus: number | null;
}

/** The claim's call if its ledger row was written (the row an attempt's end completes). */
export function recordedCall(claim: ClaimedPlace): (ApiCall & { id: number }) | null {
  return claim.call && claim.call.id !== null ? (claim.call as ApiCall & { id: number }) : null;
}

/**
 * The current UTC day of the scheduler's clock, whose calls the daily call limit counts. The
 * limit itself is the store's (scan_control.daily_call_limit, see daily-limit.ts), read by every
 * claim and every startCall, so one change reaches every worker sharing the store.
 */
export interface CallDay {
  /** Epoch ms of 00:00 UTC, and of the next day's. */
  startMs: number;
  endMs: number;
}

export interface StartCallRequest {
  placeId: string;
  workerId: string;
  fieldMask: string;
  /** Epoch ms (the scheduler's clock). */
  startedAt: number;
  day: CallDay;
}

export function utcDayOf(now: number): CallDay {
  const startMs = Math.floor(now / DAY_MS) * DAY_MS;
  return { startMs, endMs: startMs + DAY_MS };
}

/**
 * What startCall did:
 * - the call may be sent, and its ledger row is committed (`id`);
 * - PostgreSQL without a daily limit: the call may be sent, and its row is in a statement
 *   already handed to the operating system on a connection with nothing else in flight (so a
 *   worker killed from now on can't keep it from the store). `recorded` settles with the row's id
 *   once that statement commits, or with the store's error if it could not be written; it never
 *   rejects;
 * - the call must not be sent: `limitReached`, the store's limit that the day's calls reached.
 */
export type StartCallResult =
  | { id: number; limitReached?: never; recorded?: never }
  | { id: null; limitReached?: never; recorded: Promise<RecordedCall> }
  | { id: null; limitReached: number; recorded?: never };

/** The ledger row of a call sent before it was committed, once written (or why not). */
export type RecordedCall = { id: number; error?: never } | { id: null; error: unknown };

export interface ClaimRequest {
  workerId: string;
  /** Fresh per claim: a place re-claimed by anyone (this process too) gets another token. */
  token: string;
  limit: number;
  leaseMs: number;
  /** Refill rate of the shared token bucket; its capacity is one second of calls. */
  ratePerSecond: number;
  /**
   * The day whose calls count against the store's daily call limit: at most what is left of it
   * is claimed (absent: today by the process clock).
   */
  day?: CallDay;
}

/** The pause every worker sharing the store honours (after a 429). */
export interface SharedPause {
  remainingMs: number;
  reason: string;
}

export interface ClaimResult {
  places: ClaimedPlace[];
  /** Rate-limit tokens there were before this claim took its own. */
  tokensBefore: number;
  /** When the earliest queued place that is not due yet becomes due, in ms from now. */
  nextDueInMs: number | null;
  /** Set when the store is paused: nothing was claimed. */
  pause: SharedPause | null;
  /** The store's daily call limit (null: none), read in the claim's statement. */
  dailyCallLimit: number | null;
  /** Calls recorded in the ledger for the request's `day` (every worker sharing the store); 0 without a limit. */
  callsToday: number;
}

export type DeepScanCounts = ScanProgress['counts'];

export interface QueueProgress {
  counts: DeepScanCounts;
  oldestQueuedAgeSeconds: number | null;
  /** Sum of what the live workers reported on their last heartbeat. */
  scansPerMinute: number;
  /** Workers whose heartbeat is recent. */
  liveWorkers: { workerId: string; scansPerMinute: number }[];
  pause: SharedPause | null;
  /** Scans cancelled so far (cumulative, see `ScanQueue`). */
  cancelled: number;
  /** The store's daily call limit and the calls of the day asked for; null without a limit. */
  budget: { limit: number; callsToday: number } | null;
}

/**
 * The scheduler's data access, one implementation per dialect. Every write to a claimed place is
 * guarded by its claim token and `deep_scan_status = 'Processing'`, so a worker that lost its
 * lease (to the sweep, or to another worker) changes nothing: the call returns false / skips it.
 *
 * Only places whose reviewer status is still `Selected` are claimed. A place that left Selected
 * while its scan ran is cancelled when the attempt ends without a result (retryLater, release,
 * the lease sweep, SQLite's crash recovery): it goes to `deep_scan_status = NULL` (never queued)
 * instead of the queue, and the store's cumulative `cancelled` counter (table scan_counters) is
 * incremented in the same statement. `complete` and `fail` still record their result.
 *
 * Spend ledger: `complete`, `retryLater`, `fail` and `release` complete the ledger row of each
 * claim's call (`ClaimedPlace.call`) in the transaction that writes the attempt's outcome:
 * 'completed', 'retried', 'failed' (release: its `callOutcome`), or 'cancelled' when the claim
 * was gone and nothing was written. A row is completed once (`outcome IS NULL` guard).
 */
export interface ScanQueue {
  readonly kind: 'postgres' | 'sqlite';
  /**
   * Start-up: makes sure the control row exists. On SQLite (one process) also returns places a
   * crash left in `Processing` to `Queued` (or `Error` after the last attempt).
   */
  prepare(maxAttempts: number): Promise<{ recovered: number }>;
  /** Claims up to `limit` due places in one statement, within the rate limit and the pause. */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Just before a Places API request: appends the call's ledger row with outcome NULL.
   * - Under a daily call limit: in a short transaction of its own (PostgreSQL: one shared with
   *   the calls this process starts in the same turn of the event loop), reads the store's limit,
   *   checks the day's calls against it (PostgreSQL: under the scan_control row lock, so workers
   *   sharing the store never exceed it together) and appends the row. Returns its id once
   *   committed, or the limit when the budget is spent (nothing written: the request must not
   *   be sent).
   * - PostgreSQL without a limit (as the last claim read it): the row goes in the next write
   *   statement (with the places that finished meanwhile), and the call may be sent as soon as
   *   that statement is handed to the operating system, before it commits (`recorded`).
   */
  startCall(request: StartCallRequest): Promise<StartCallResult>;
  /**
   * In one transaction: `Completed` if the claim still holds, then the local_businesses upsert;
   * false (and nothing written) when the claim is gone. PostgreSQL finishes the places that
   * complete together in one statement (group commit).
   */
  complete(claim: ClaimedPlace, fields: LocalBusinessFields): Promise<boolean>;
  /** Back to `Queued`, due in `delayMs`, keeping the error text for the UI (or cancelled). */
  retryLater(claim: ClaimedPlace, message: string, delayMs: number): Promise<boolean>;
  /** `Error` with the message. */
  fail(claim: ClaimedPlace, message: string): Promise<boolean>;
  /**
   * Returns unstarted or interrupted claims to `Queued` and gives back their attempt (or cancels
   * them). A claim whose call was made has its ledger row completed with `callOutcome`.
   */
  release(
    claims: ClaimedPlace[],
    delayMs: number,
    callOutcome?: PlacesApiCallOutcome,
  ): Promise<number>;
  /** Pushes the lease of the claims forward; returns the ids still held. */
  extendLeases(claims: ClaimedPlace[], leaseMs: number): Promise<Set<number>>;
  /**
   * Places whose lease expired go back to `Queued`, or to `Error` after the last attempt (or are
   * cancelled).
   */
  sweepExpiredLeases(
    maxAttempts: number,
    /** Ledger rows still open (outcome NULL) that started before this (epoch ms) become 'cancelled'. */
    openCallsBefore?: number,
  ): Promise<{ requeued: number; failed: number; cancelled: number }>;
  /** Pauses every worker sharing the store for `ms` (an existing longer pause wins). */
  pauseAll(ms: number, reason: string): Promise<void>;
  readPause(): Promise<SharedPause | null>;
  /** Records this loop as alive, with its recent throughput. */
  heartbeat(workerId: string, scansLastMinute: number): Promise<void>;
  removeWorker(workerId: string): Promise<void>;
  /** The figures of the scan status; the daily budget counts the calls of `day` (default: today). */
  readProgress(day?: CallDay): Promise<QueueProgress>;
  /** Closes what the queue opened itself (PostgreSQL: the heartbeat connection). */
  close(): Promise<void>;
}

export const CONTROL_ROW = 'deep_scan';
/** The scan_counters row of cancelled scans. */
export const CANCELLED_COUNTER = 'cancelled';

/** A claim that found no control row (deleted by hand): it puts one back and claims next time. */
export function nothingClaimed(): ClaimResult {
  return {
    places: [],
    tokensBefore: 0,
    nextDueInMs: null,
    pause: null,
    dailyCallLimit: null,
    callsToday: 0,
  };
}

/** A worker whose heartbeat is older than this is not counted as live. */
export const WORKER_STALE_MS = 90_000;

export function emptyCounts(): DeepScanCounts {
  return { none: 0, Queued: 0, Processing: 0, Completed: 0, Error: 0 };
}

/**
 * Error text of a place whose last lease expired, as SQL (both dialects concatenate with ||):
 * "The scan did not finish: its worker stopped responding (5 attempts)."
 */
export function leaseExpiredMessage(attempts: SQL): SQL {
  const prefix = 'The scan did not finish: its worker stopped responding (';
  return sql`CAST(${prefix} AS TEXT) || CAST(${attempts} AS TEXT) || ' attempts).'`;
}
