import pg from 'pg';
import type { SyncRunOutput, SyncStatus } from '../../src-shared/contract/sync';
import { AppError } from '../../src-shared/errors';
import { describeDatabaseUrl, type PgStore, type SqliteStore } from '../db/store';
import { errorSummary } from '../error-summary';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import { outboxCounts } from './inbox';
import type { PullProgress } from './pull';
import { describeSync, syncOnce, type SyncOnceResult } from './run';

/**
 * Team mode's sync engine: decides whether reviewers work on the shared PostgreSQL (online) or
 * on this computer's replica (offline), and moves decisions between them with no user action.
 *
 * One loop, never two passes at once. A pass: probe PostgreSQL (a fresh connection with a short
 * timeout, never a request left hanging), open the shared store the first time (applying its
 * scripts), push the outbox, pull. Only when nothing is left to send does the app go online (so
 * a reviewer's direct decision can never overtake an older offline one of the same place). Then
 * a pass every `pullIntervalMs` brings colleagues' changes into the replica (so going offline
 * later starts from fresh data). A failed pass goes offline and retries after a jittered,
 * doubling delay capped at `retryMaxMs` (PostgreSQL back => drained within that cap plus one
 * pass); a request that finds PostgreSQL gone reports it (reportFailure) and the loop probes at
 * once. `forcedOffline` (the app's toggle, `serve --offline`) stops probing and pushing.
 */

export interface SyncEngineOptions {
  /** The shared store's URL (DATABASE_URL). */
  url: string;
  replica: SqliteStore;
  /** Opens the shared store (applying pending scripts); called until it succeeds once. */
  openShared: () => Promise<PgStore>;
  logger: Logger;
  events: Pick<EventBus, 'emit'>;
  forcedOffline?: boolean;
  /** Limit the pull to these search locations (SYNC_LOCATIONS). */
  locations?: readonly string[] | null;
  clock?: () => Date;
  /** Jitter source (default Math.random); tests seed it. */
  random?: () => number;
  probeTimeoutMs?: number;
  pullIntervalMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Called once, the first time the shared store is open (the backend starts the scheduler). */
  onShared?: (store: PgStore) => void;
}

export interface SyncEngine {
  /** The shared store once opened (it may be unreachable now: see `online`). */
  readonly shared: PgStore | null;
  /** Requests go to the shared store (true) or to the replica (false). */
  readonly online: boolean;
  status(): SyncStatus;
  /** Runs a pass now and says what it did; 503 when PostgreSQL is unreachable. */
  syncNow(): Promise<SyncRunOutput>;
  setForcedOffline(offline: boolean): SyncStatus;
  /** A request found the shared store unreachable: work offline and probe at once. */
  reportFailure(error: unknown): void;
  /** A decision changed the outbox: tell the indicator, and push it when online. */
  changed(): void;
  /** Resolves when the loop has run a pass that began after this call. */
  nextPass(): Promise<void>;
  stop(): Promise<void>;
}

/** Seconds a client is told to wait when the shared store is unreachable. */
const RETRY_AFTER_SECONDS = 5;

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { replica, logger, events } = options;
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const probeTimeoutMs = options.probeTimeoutMs ?? 3000;
  const pullIntervalMs = options.pullIntervalMs ?? 15_000;
  const retryMinMs = options.retryMinMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const log = logger.child({ component: 'sync' });

  let shared: PgStore | null = null;
  let online = false;
  let forcedOffline = options.forcedOffline ?? false;
  let syncing = false;
  let pullProgress: PullProgress | null = null;
  let lastError: string | null = null;
  let lastResult: SyncOnceResult | null = null;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let passes = 0;
  const passWaiters: { after: number; resolve: () => void }[] = [];
  let lastEmitted = '';

  const status = (): SyncStatus => {
    const c = outboxCounts(replica);
    return {
      online: online && !forcedOffline,
      pending: c.pending,
      oldest_pending_at:
        c.oldestPendingAt === null ? null : new Date(c.oldestPendingAt).toISOString(),
      conflicts: c.conflicts,
      last_synced_at: c.lastSyncedAt === null ? null : new Date(c.lastSyncedAt).toISOString(),
      mode: 'team',
      syncing,
      forced_offline: forcedOffline,
      rejected: c.rejected,
      pull_progress: pullProgress,
      last_error: lastError,
    };
  };

  const emitStatus = () => {
    if (stopped) return;
    const now = status();
    const json = JSON.stringify(now);
    if (json === lastEmitted) return;
    lastEmitted = json;
    events.emit('syncStatus', now);
  };

  const setOnline = (value: boolean) => {
    if (online === value) return;
    online = value;
    log.info({ online }, online ? 'working on the shared store' : 'working on this computer');
  };

  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped || forcedOffline) return;
    timer = setTimeout(() => void kick(), ms);
    timer.unref();
  };

  const backoff = () => {
    const ceiling = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures - 1, 20));
    // Full jitter over the upper half: never all clients at once, never longer than the cap.
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };

  /** A fresh connection, a short timeout: is the shared store answering now? */
  const probe = async () => {
    const client = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: probeTimeoutMs,
      query_timeout: probeTimeoutMs,
      application_name: 'staging-editor probe',
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
    } finally {
      await client.end().catch(() => {});
    }
  };

  const pass = async () => {
    if (stopped || forcedOffline) {
      setOnline(false);
      return;
    }
    try {
      await probe();
      if (!shared) {
        shared = await options.openShared();
        options.onShared?.(shared);
      }
      syncing = true;
      emitStatus();
      const result = await syncOnce(shared, replica, {
        locations: options.locations ?? null,
        clock,
        onPullProgress: (p) => {
          pullProgress = p;
          emitStatus();
        },
      });
      lastResult = result;
      if (result.push.pushed > 0 || (result.pulled ?? 0) > 0) {
        events.emit('placesChanged', { place_ids: null, reason: 'sync' });
      }
      if (result.push.stopped) throw new Error(result.push.stopped.error);
      failures = 0;
      lastError = null;
      if (result.left === 0) setOnline(true);
      schedule(result.left > 0 ? 0 : pullIntervalMs);
    } catch (error) {
      failures++;
      setOnline(false);
      lastError = `The shared store (${describeDatabaseUrl(options.url)}) is unreachable: ${errorSummary(error).message}`;
      // Once at warn; the retries of a long time offline (every few seconds) at debug only.
      log[failures === 1 ? 'warn' : 'debug'](
        { failures, error: errorSummary(error).message },
        'sync failed; retrying',
      );
      schedule(backoff());
    } finally {
      syncing = false;
      pullProgress = null;
      passes++;
      for (const w of passWaiters.splice(0)) {
        if (passes > w.after) w.resolve();
        else passWaiters.push(w);
      }
      emitStatus();
    }
  };

  const kick = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        void kick();
      }
    });
    return running;
  };

  const nextPass = () =>
    new Promise<void>((resolve) => {
      // A pass already running began before this call: wait for the one after it.
      passWaiters.push({ after: passes + (running ? 1 : 0), resolve });
    });

  void kick();

  return {
    get shared() {
      return shared;
    },
    get online() {
      return online && !forcedOffline;
    },
    status,
    async syncNow() {
      if (forcedOffline) {
        throw new AppError(
          'conflict',
          'You chose to work offline: turn "Work offline" off to sync with the shared store.',
        );
      }
      const done = nextPass();
      if (running) again = true;
      else void kick();
      await done;
      if (lastError || !lastResult) {
        throw new AppError(
          'unavailable',
          `${lastError ?? 'The shared store is unreachable.'} Your decisions stay on this computer and are sent when it answers.`,
          undefined,
          { retryAfterSeconds: RETRY_AFTER_SECONDS },
        );
      }
      const r = lastResult;
      return {
        message: describeSync(r),
        pushed: r.push.pushed,
        applied: r.push.applied,
        agreed: r.push.agreed,
        conflicts: r.push.conflicts,
        rejected: r.push.rejected,
        pulled: r.pulled ?? 0,
        incomplete: r.push.stopped !== null || r.left > 0,
      };
    },
    setForcedOffline(offline) {
      forcedOffline = offline;
      log.info({ forcedOffline }, offline ? 'working offline by choice' : 'going back online');
      if (offline) {
        if (timer) clearTimeout(timer);
        setOnline(false);
      } else {
        failures = 0;
        void kick();
      }
      emitStatus();
      return status();
    },
    reportFailure(error) {
      if (!online) return;
      log.warn({ error: errorSummary(error).message }, 'the shared store stopped answering');
      setOnline(false);
      lastError = `The shared store (${describeDatabaseUrl(options.url)}) is unreachable: ${errorSummary(error).message}`;
      emitStatus();
      void kick();
    },
    changed() {
      emitStatus();
      // Online, an outbox entry (a conflict resolved as "keep mine") goes out at once; offline,
      // the retry timer is already set.
      if (online && !forcedOffline) void kick();
    },
    nextPass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      for (const w of passWaiters.splice(0)) w.resolve();
    },
  };
}
