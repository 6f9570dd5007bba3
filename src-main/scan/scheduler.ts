import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EventPayload, ScanProgress } from '../../src-shared/contract/events';
import type { Settings } from '../config';
import type { Store } from '../db/store';
import { errorSummary } from '../error-summary';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import { jittered } from '../../src-shared/random';
import { timerDelay } from './backoff';
import { scanConfig, type ScanConfig, type ScanTuning } from './config';
import { outcomeOfFailure, RATE_LIMITED_REASON } from './outcome';
import {
  createPlacesClient,
  PLACE_DETAILS_FIELD_MASK,
  PlacesApiError,
  type PlacesClient,
} from './places-api/client';
import {
  mapPlaceToLocalBusiness,
  type LocalBusinessFields,
} from './places-api/map-to-local-business';
import { composeProgress, hasPlacesApiKey, NO_API_KEY_REASON, readScanProgress } from './progress';
import {
  utcDayOf,
  type ApiCall,
  type CallDay,
  type ClaimedPlace,
  type ScanQueue,
  type SharedPause,
  type StartCallResult,
} from './queue';
import { budgetReason } from './daily-limit';
import { scanQueueFor } from './queue-for-store';
import { createProgressEvents } from './progress-events';
import { createThroughputCounter } from './throughput';
import { sqliteScanLockPath, tryAcquireSqliteScanLock } from './sqlite-scan-lock';
import { createWakeSignal } from './wake-signal';

export interface SchedulerOptions {
  store: Store;
  settings: Settings;
  logger: Logger;
  /** Progress and `placesChanged` events go here; its status changes wake the loop. */
  events?: Pick<EventBus, 'emit' | 'subscribe'>;
  /** Unique per running loop (default `host:pid:random`); recorded as `deep_scan_claimed_by`. */
  workerId?: string;
  /** False for `serve --no-scheduler`: no loop here, but `status()` still answers. */
  runLoop?: boolean;
  tuning?: ScanTuning;
  /** The random source of backoff and poll jitter (default Math.random); tests seed it. */
  random?: () => number;
  /**
   * The clock (epoch ms) of the spend ledger: calls' start times, durations and the UTC day that
   * DEEP_SCAN_DAILY_CALL_LIMIT counts (default Date.now); tests move it across midnight.
   */
  clock?: () => number;
  /**
   * False only for bench:scan's ledger-off comparison (bench/scan.bench.ts prices the ledger):
   * no ledger row per call, and so no daily call limit. Always on in the app.
   */
  recordCalls?: boolean;
}

export interface Scheduler {
  readonly workerId: string;
  /** Whether this process runs the loop. */
  readonly running: boolean;
  /** Claim now instead of at the next poll (the app's own enqueue calls this). */
  wake(): void;
  status(): Promise<ScanProgress>;
  /**
   * Stops claiming, returns unstarted claims, lets in-flight scans finish for `graceMs`
   * (default 5 s), then interrupts and returns the rest: nothing is left in Processing. Calling
   * it again with a shorter grace (a second Ctrl-C) cuts the wait short.
   */
  stop(graceMs?: number): Promise<void>;
}

interface Scan {
  claim: ClaimedPlace;
  controller: AbortController;
  /** The heartbeat found the claim gone: write nothing. */
  lost: boolean;
  /** Past the API call; the result is being written (the lease check is in that write). */
  writing: boolean;
  /** The call's ledger row on its way to the store (see StartCallResult.recorded); never rejects. */
  recorded: Promise<void> | null;
  /**
   * The API answered and the result is being written: the scan no longer holds one of the
   * `concurrency` call slots, so the next place's call starts while this write runs (and its
   * ledger append can share this write's statement, see the queues' group commit).
   */
  answered: boolean;
  done: Promise<void>;
}

interface Pause {
  until: number;
  reason: string;
  /**
   * 'key': this process's key was rejected; 'shared': a 429 paused every worker; 'budget': the
   * day's DEEP_SCAN_DAILY_CALL_LIMIT is spent (every worker sharing the store finds it so).
   */
  kind: 'key' | 'shared' | 'budget';
}

/** Waits `ms`, or less when `signal` aborts first. */
function pauseUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, timerDelay(ms));
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** A ledger row still open this long after its call started belongs to a worker that died. */
const OPEN_CALL_MAX_MS = 5 * 60_000;

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Starts the deep scan loop (steps 8 and 9 of workflow.md) for this process. Without an API key,
 * or with `runLoop: false`, nothing runs and `status()` says why.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { store, settings } = options;
  const workerId = options.workerId ?? defaultWorkerId();
  const runLoop = options.runLoop ?? true;
  if (!runLoop || !hasPlacesApiKey(settings)) {
    if (runLoop) options.logger.warn(`Deep scans are off: ${NO_API_KEY_REASON}.`);
    return {
      workerId,
      running: false,
      wake() {},
      status: () => readScanProgress(store, { settings, running: false, now: options.clock?.() }),
      stop: async () => {},
    };
  }
  const config = scanConfig(settings, options.tuning);
  const client = createPlacesClient({
    baseUrl: settings.PLACES_API_BASE_URL,
    apiKey: settings.GOOGLE_MAPS_API_KEY!,
    timeoutMs: config.requestTimeoutMs,
  });
  const log = options.logger.child({ component: 'deep-scan', worker: workerId });
  const begin = () =>
    runScanLoop({
      // On PostgreSQL the heartbeat (leases, sweep) gets a connection of its own, closed on stop.
      // The store's own URL when the settings have none (a store opened by hand, as in tests).
      queue: scanQueueFor(store, {
        heartbeatUrl:
          store.kind === 'postgres'
            ? (settings.DATABASE_URL ?? store.pool.options.connectionString)
            : undefined,
      }),
      client,
      config,
      workerId,
      log,
      events: options.events,
      random: options.random ?? Math.random,
      clock: options.clock ?? Date.now,
      recordCalls: options.recordCalls ?? true,
    });
  // An in-memory database belongs to its one connection: nobody else can scan it.
  if (store.kind === 'postgres' || store.path === ':memory:' || store.path === '') return begin();
  return runWithSqliteScanLock(store, begin, {
    settings,
    workerId,
    log,
    retryMs: Math.max(1_000, config.heartbeatMs),
  });
}

export const SQLITE_STANDBY_REASON =
  'Deep scans run in another process on this SQLite file (the desktop app, serve or a worker); ' +
  'this one stands by and takes over when that process ends';

/**
 * SQLite: only the process holding the file's scan lock (sqlite-scan-lock.ts) runs the loop, so
 * its start-up recovery only ever re-queues claims whose holder is gone. Another process stands
 * by: no loop, a status that says why, and a retry of the lock every `retryMs`, taking over when
 * the holder ends (a crash included: the OS releases the lock).
 */
function runWithSqliteScanLock(
  store: Store,
  begin: () => Scheduler,
  ctx: { settings: Settings; workerId: string; log: Logger; retryMs: number },
): Scheduler {
  const path = (store as Extract<Store, { kind: 'sqlite' }>).path;
  let lock = tryAcquireSqliteScanLock(path);
  let inner: Scheduler | null = lock ? begin() : null;
  let retry: NodeJS.Timeout | undefined;
  if (!inner) {
    ctx.log.warn({ lock: sqliteScanLockPath(path) }, `${SQLITE_STANDBY_REASON}.`);
    retry = setInterval(() => {
      try {
        lock = tryAcquireSqliteScanLock(path);
      } catch (error) {
        ctx.log.warn({ err: errorSummary(error) }, 'deep scan lock not checked');
        return;
      }
      if (!lock) return;
      clearInterval(retry);
      ctx.log.info('the process that ran deep scans on this SQLite file has ended: taking over');
      inner = begin();
    }, ctx.retryMs);
    // Not unref'd: standing by is this loop's work (a `worker` waits on nothing else); stop()
    // clears it.
  }
  return {
    workerId: ctx.workerId,
    get running() {
      return inner?.running ?? false;
    },
    wake() {
      inner?.wake();
    },
    status() {
      return inner
        ? inner.status()
        : readScanProgress(store, {
            settings: ctx.settings,
            running: false,
            pausedReason: `${SQLITE_STANDBY_REASON}.`,
          });
    },
    async stop(graceMs) {
      clearInterval(retry);
      try {
        await inner?.stop(graceMs);
      } finally {
        lock?.release();
      }
    },
  };
}

interface LoopDeps {
  queue: ScanQueue;
  client: PlacesClient;
  config: ScanConfig;
  workerId: string;
  log: Logger;
  events?: Pick<EventBus, 'emit' | 'subscribe'>;
  random: () => number;
  clock: () => number;
  recordCalls: boolean;
}

function runScanLoop(deps: LoopDeps): Scheduler {
  const { queue, client, config, workerId, log, events, random, clock, recordCalls } = deps;
  const buffer: ClaimedPlace[] = [];
  const inFlight = new Map<number, Scan>();
  const throughput = createThroughputCounter();
  let stopping = false;
  let stopped: Promise<void> | null = null;
  let endGrace: (() => void) | null = null;
  let nextClaimAt = 0;
  let pause: Pause | null = null;
  /** After the key was rejected, one place at a time until a scan succeeds. */
  let probing = false;
  let lastPauseRead = 0;
  /** The day and limit whose spent budget was last logged (logged once, not at each re-check). */
  let budgetLogged: string | null = null;
  const today = (): CallDay => utcDayOf(clock());

  const signal = createWakeSignal();
  const notify = signal.notify;
  const waitUntil = signal.sleepUntil;

  // --- progress -------------------------------------------------------------------------------
  async function status(): Promise<ScanProgress> {
    const figures = await queue.readProgress(today());
    const now = Date.now();
    return composeProgress(figures, {
      running: !stopping,
      pausedReason: pause && pause.until > now ? pauseText(pause, now) : null,
      self: { workerId, scansPerMinute: throughput.lastMinute() },
    });
  }

  const progress = events ? createProgressEvents(events, status) : null;
  const pushProgress = async (force = false) => progress?.push(force);
  const markDirty = () => progress?.markDirty();

  // --- pauses ---------------------------------------------------------------------------------
  function pauseText(p: Pause, now: number): string {
    const seconds = Math.ceil((p.until - now) / 1000);
    if (p.kind === 'budget') return p.reason;
    return p.kind === 'key'
      ? `${p.reason.replace(/\.$/, '')}. Check GOOGLE_MAPS_API_KEY; deep scans try again in ${seconds} s.`
      : `${p.reason} All workers paused for ${seconds} s.`;
  }

  async function enterPause(next: Pause, announce = true): Promise<void> {
    if (pause && pause.until >= next.until && pause.kind === next.kind) return;
    const first = !pause || pause.until <= Date.now();
    pause = next;
    markDirty();
    if (first && announce) {
      log.warn(
        { pauseMs: next.until - Date.now(), kind: next.kind, reason: next.reason },
        'deep scans paused',
      );
    }
    // Unstarted claims go back at once, their attempt given back. After a 429 they are due when
    // the pause ends (it holds every worker anyway). A rejected key is this process's problem,
    // not the places': they are due now, for the workers whose key works.
    const unstarted = buffer.splice(0);
    const dueInMs = next.kind === 'shared' ? Math.max(0, next.until - Date.now()) : 0;
    if (unstarted.length > 0) await queue.release(unstarted, dueInMs);
  }

  /**
   * The day's call budget (the store's limit) is spent: no claims until the next UTC day or a
   * higher limit. The pause is re-checked (one claim, which reads the store's limit) every poll
   * interval, so a limit raised anywhere is seen within DEEP_SCAN_INTERVAL_SECONDS; places stay
   * queued, unstarted claims go back with their attempt.
   */
  async function enterBudgetPause(day: CallDay, limit: number): Promise<void> {
    const reason = budgetReason(limit);
    const key = `${day.startMs}:${limit}`;
    const untilNextDay = Math.max(0, day.endMs - clock());
    await enterPause(
      { until: Date.now() + Math.min(untilNextDay, config.intervalMs), reason, kind: 'budget' },
      budgetLogged !== key,
    );
    budgetLogged = key;
  }

  function sharedPause(p: SharedPause): Pause {
    // A pause another process wrote (an older version, or by hand) is honoured for at most
    // DEEP_SCAN_MAX_PAUSE_SECONDS at a time; the next claim reads it again.
    const remainingMs = Math.min(p.remainingMs, config.maxPauseMs);
    return { until: Date.now() + remainingMs, reason: p.reason, kind: 'shared' };
  }

  // --- one place ------------------------------------------------------------------------------
  function startScan(claim: ClaimedPlace): void {
    const scan: Scan = {
      claim,
      controller: new AbortController(),
      lost: false,
      writing: false,
      answered: false,
      recorded: null,
      done: Promise.resolve(),
    };
    inFlight.set(claim.id, scan);
    scan.done = scanPlace(scan)
      .catch((error: unknown) => {
        // A store error while recording the outcome: the lease runs out and the sweep retries.
        log.error({ placeId: claim.placeId, err: errorSummary(error) }, 'deep scan not recorded');
      })
      .finally(() => {
        inFlight.delete(claim.id);
        notify();
      });
  }

  function finished(claim: ClaimedPlace): void {
    throughput.record();
    progress?.placeChanged(claim.placeId);
  }

  function leaseLost(claim: ClaimedPlace): void {
    log.warn(
      { placeId: claim.placeId, attempt: claim.attempt },
      'lease lost: another worker took this place over; nothing written',
    );
  }

  /**
   * Records a result the API already answered (and was paid for). A store error here is not the
   * API's: the result stays in memory and is written again with backoff (the heartbeat keeps the
   * lease meanwhile); if the store still refuses, the claim is returned without spending the
   * attempt. Never calls the API again for it. Returns whether the place was completed.
   */
  async function recordResult(scan: Scan, fields: LocalBusinessFields): Promise<void> {
    const { claim } = scan;
    for (let attempt = 0; ; attempt++) {
      let written: boolean;
      try {
        written = await queue.complete(claim, fields);
      } catch (error) {
        if (attempt < config.storeRetries) {
          const delayMs = Math.min(
            config.maxPauseMs,
            jittered(config.storeRetryBaseMs * 2 ** attempt, 0.25, random),
          );
          log.warn(
            { placeId: claim.placeId, err: errorSummary(error), retryInMs: delayMs },
            'deep scan result not written: the store failed; writing it again',
          );
          await pauseUnlessAborted(delayMs, scan.controller.signal);
          if (scan.lost) return leaseLost(claim);
          // Stopping (the grace ran out): one last write, then the claim goes back.
          if (scan.controller.signal.aborted) attempt = Math.max(attempt, config.storeRetries - 1);
          continue;
        }
        log.error(
          { placeId: claim.placeId, err: errorSummary(error), tries: attempt + 1 },
          'deep scan result not written: returning the place to the queue, attempt given back',
        );
        await queue.release([claim], config.retryBaseMs);
        progress?.placeChanged(claim.placeId);
        return;
      }
      if (!written) return leaseLost(claim);
      probing = false;
      finished(claim);
      log.debug({ placeId: claim.placeId, attempt: claim.attempt }, 'deep scan completed');
      return;
    }
  }

  /**
   * Records the call in the spend ledger before it is sent, within the day's budget. False: not
   * to be sent (the budget is spent, or the store failed): the claim went back, attempt given back.
   */
  async function startCall(scan: Scan): Promise<boolean> {
    const { claim } = scan;
    if (!recordCalls) return true;
    const day = today();
    const startedAt = clock();
    let started: StartCallResult;
    try {
      started = await queue.startCall({
        placeId: claim.placeId,
        workerId,
        fieldMask: PLACE_DETAILS_FIELD_MASK,
        startedAt,
        day,
      });
    } catch (error) {
      log.warn(
        { placeId: claim.placeId, err: errorSummary(error) },
        'Places API call not recorded in the ledger: not sent; the place goes back to the queue',
      );
      await queue.release([claim], config.retryBaseMs);
      return false;
    }
    if (started.limitReached !== undefined) {
      await queue.release([claim], 0);
      progress?.placeChanged(claim.placeId);
      await enterBudgetPause(day, started.limitReached);
      return false;
    }
    const call: ApiCall = { id: started.id, startedAt, durationMs: null, httpStatus: null };
    claim.call = call;
    // Sent before its ledger row committed: the attempt's end completes the row once it exists.
    scan.recorded =
      started.recorded?.then((row) => {
        if (row.id !== null) call.id = row.id;
        else {
          log.error(
            { placeId: claim.placeId, err: errorSummary(row.error) },
            'Places API call sent but not recorded in the spend ledger: the store refused its row',
          );
        }
      }) ?? null;
    return true;
  }

  function callEnded(claim: ClaimedPlace, httpStatus: number | null): void {
    if (!claim.call || claim.call.durationMs !== null) return;
    claim.call.durationMs = Math.max(0, Math.round(clock() - claim.call.startedAt));
    claim.call.httpStatus = httpStatus;
  }

  async function scanPlace(scan: Scan): Promise<void> {
    const { claim } = scan;
    let fields: LocalBusinessFields;
    if (scan.lost) return leaseLost(claim);
    if (stopping && scan.controller.signal.aborted) {
      await queue.release([claim], 0);
      return;
    }
    if (!(await startCall(scan))) return;
    try {
      const details = await client.fetchPlaceDetails(claim.placeId, scan.controller.signal);
      callEnded(claim, 200);
      if (scan.lost) return leaseLost(claim);
      scan.writing = true;
      fields = mapPlaceToLocalBusiness(claim.placeId, details);
      // Only an answer frees the slot early: after an error the slot is held until the outcome
      // (a 429's pause, a rejected key) is known, so no further call goes out before it.
      scan.answered = true;
      notify();
    } catch (error) {
      callEnded(claim, error instanceof PlacesApiError ? error.httpStatus : null);
      await scan.recorded;
      scan.writing = true;
      if (scan.lost) return leaseLost(claim);
      if (stopping && scan.controller.signal.aborted) {
        await queue.release([claim], 0);
        return;
      }
      await recordFailure(claim, error);
      return;
    }
    // The next call may start meanwhile: only this result's write waits for the row.
    await scan.recorded;
    await recordResult(scan, fields);
  }

  async function recordFailure(claim: ClaimedPlace, error: unknown): Promise<void> {
    const outcome = outcomeOfFailure(error, claim.attempt, config, random);
    if (outcome.action === 'pause_for_key') {
      probing = true;
      await queue.release([claim], 0, 'retried');
      await enterPause({
        until: Date.now() + config.authRetryMs,
        reason: outcome.message,
        kind: 'key',
      });
      return;
    }
    // The API answered without rejecting the key: a probe after a key pause has passed.
    if (error instanceof PlacesApiError && error.httpStatus !== null) probing = false;
    if (outcome.pauseAllMs !== null) {
      await queue.pauseAll(outcome.pauseAllMs, RATE_LIMITED_REASON);
      await enterPause(
        sharedPause({ remainingMs: outcome.pauseAllMs, reason: RATE_LIMITED_REASON }),
      );
    }
    if (outcome.action === 'fail') {
      if (await queue.fail(claim, outcome.message)) {
        finished(claim);
        log.info(
          { placeId: claim.placeId, attempt: claim.attempt, error: outcome.message },
          'deep scan failed',
        );
      } else leaseLost(claim);
      return;
    }
    if (await queue.retryLater(claim, outcome.message, outcome.delayMs)) {
      nextClaimAt = Math.min(nextClaimAt, Date.now() + outcome.delayMs);
      progress?.placeChanged(claim.placeId);
      log.debug(
        { placeId: claim.placeId, attempt: claim.attempt, delayMs: outcome.delayMs },
        'deep scan will retry',
      );
    } else leaseLost(claim);
  }

  // --- the loop -------------------------------------------------------------------------------
  async function claimBatch(): Promise<void> {
    const limit = probing ? 1 : config.batchSize;
    const day = today();
    const result = await queue.claim({
      workerId,
      token: randomUUID(),
      limit,
      leaseMs: config.leaseMs,
      ratePerSecond: config.ratePerSecond,
      day,
    });
    if (result.pause) {
      await enterPause(sharedPause(result.pause));
      return;
    }
    const dailyLimit = result.dailyCallLimit;
    if (result.places.length === 0 && dailyLimit !== null && result.callsToday >= dailyLimit) {
      await enterBudgetPause(day, dailyLimit);
      return;
    }
    // The store's limit was raised (or lifted) while this loop was paused by it.
    if (budgetLogged !== null && (dailyLimit === null || result.callsToday < dailyLimit)) {
      log.info({ limit: dailyLimit }, 'deep scans resumed: the daily call budget has room again');
      budgetLogged = null;
    }
    buffer.push(...result.places);
    // The grid shows these Processing now, not only when their scans end.
    for (const place of result.places) progress?.placeChanged(place.placeId);
    const now = Date.now();
    const tokens = Math.floor(result.tokensBefore);
    if (result.places.length === limit) {
      nextClaimAt = 0; // a full batch: there may be more, claim again as soon as there is room
    } else if (tokens < limit && result.places.length === tokens) {
      // Held back by the rate limit: wait until a useful batch worth of tokens has built up.
      const want = Math.min(limit, Math.max(1, Math.floor(config.ratePerSecond)));
      const have = result.tokensBefore - result.places.length;
      nextClaimAt = now + Math.ceil((Math.max(0, want - have) / config.ratePerSecond) * 1000);
    } else {
      // The queue is drained: poll later, or when the next retry falls due.
      nextClaimAt =
        now + Math.min(jittered(config.intervalMs, 0.2, random), result.nextDueInMs ?? Infinity);
    }
  }

  /**
   * A call may start: fewer than `concurrency` scans are waiting for the API, and fewer than
   * twice that are in flight at all (results being written included), so a slow store holds
   * the loop back instead of piling up results in memory.
   */
  function hasCallSlot(): boolean {
    if (inFlight.size >= 2 * config.concurrency) return false;
    let calling = 0;
    for (const scan of inFlight.values()) if (!scan.answered) calling++;
    return calling < config.concurrency;
  }

  async function step(): Promise<void> {
    if (stopping) return;
    const now = Date.now();
    if (pause) {
      if (pause.until > now) return waitUntil(pause.until);
      // A spent budget is re-checked by the next claim; it says "resumed" only if it is not spent.
      if (pause.kind !== 'budget') log.info({ kind: pause.kind }, 'deep scans resumed');
      pause = null;
      markDirty();
      nextClaimAt = 0;
    }
    // Another worker's 429 must stop this one too, also between claims.
    if (
      buffer.length > 0 &&
      queue.kind === 'postgres' &&
      now - lastPauseRead >= config.controlRefreshMs
    ) {
      lastPauseRead = now;
      const shared = await queue.readPause();
      if (shared) return enterPause(sharedPause(shared));
      if (stopping) return;
    }
    while (buffer.length > 0 && hasCallSlot()) startScan(buffer.shift()!);
    const room = buffer.length === 0 && hasCallSlot();
    if (room && now >= nextClaimAt) {
      await claimBatch();
      if (buffer.length > 0 || stopping) return;
    }
    // Wait for a free slot, a wake-up, or the next poll.
    await waitUntil(room ? nextClaimAt : null);
  }

  async function loop(): Promise<void> {
    let failures = 0;
    let prepared = false;
    while (!stopping) {
      try {
        if (!prepared) {
          const { recovered } = await queue.prepare(config.maxAttempts);
          if (recovered > 0)
            log.info({ recovered }, 'places left Processing by a crash queued again');
          await housekeeping(true);
          prepared = true;
          log.info(
            {
              batchSize: config.batchSize,
              concurrency: config.concurrency,
              leaseSeconds: config.leaseMs / 1000,
              maxAttempts: config.maxAttempts,
              ratePerSecond: config.ratePerSecond,
            },
            'deep scan loop started',
          );
        }
        await step();
        failures = 0;
      } catch (error) {
        failures++;
        const delay = jittered(
          Math.min(config.intervalMs, 500 * 2 ** Math.min(failures, 10)),
          0.2,
          random,
        );
        log.error({ err: errorSummary(error), retryInMs: delay }, 'deep scan loop: store error');
        await waitUntil(Date.now() + delay);
      }
    }
  }

  // --- heartbeat: leases, sweep, liveness -----------------------------------------------------
  let lastSweepAt = 0;
  let lastBeatAt = 0;
  let lastBeatCount = -1;
  let housekeepingRun: Promise<void> | null = null;

  function housekeeping(force = false): Promise<void> {
    housekeepingRun ??= keepHouse(force).finally(() => {
      housekeepingRun = null;
    });
    return housekeepingRun;
  }

  async function keepHouse(force: boolean): Promise<void> {
    const scans = [...inFlight.values()].filter((s) => !s.lost);
    const held = [...buffer, ...scans.map((s) => s.claim)];
    if (held.length > 0) {
      const kept = await queue.extendLeases(held, config.leaseMs);
      // Claims made while the extension ran were not part of it.
      const asked = new Set(held.map((c) => c.id));
      for (let i = buffer.length - 1; i >= 0; i--) {
        const id = buffer[i]!.id;
        if (asked.has(id) && !kept.has(id)) leaseLost(buffer.splice(i, 1)[0]!);
      }
      for (const scan of scans) {
        if (!kept.has(scan.claim.id) && !scan.writing && inFlight.has(scan.claim.id)) {
          scan.lost = true;
          scan.controller.abort();
        }
      }
    }
    const now = Date.now();
    if (force || now - lastSweepAt >= config.leaseMs / 2) {
      lastSweepAt = now;
      // Ledger rows a dead worker left open (it sent the call but never wrote the outcome); long
      // after any live worker would have written it (a request ends inside its lease).
      const swept = await queue.sweepExpiredLeases(
        config.maxAttempts,
        clock() - Math.max(2 * config.leaseMs, OPEN_CALL_MAX_MS),
      );
      if (swept.requeued + swept.failed > 0) {
        log.warn(swept, 'expired leases swept: places of a stopped worker returned to the queue');
        nextClaimAt = 0;
        markDirty();
        notify();
      }
    }
    const perMinute = throughput.lastMinute();
    if (force || perMinute !== lastBeatCount || now - lastBeatAt >= 30_000) {
      await queue.heartbeat(workerId, perMinute);
      lastBeatAt = now;
      lastBeatCount = perMinute;
    }
  }

  const heartbeatTimer = setInterval(() => {
    housekeeping().catch((error: unknown) =>
      log.warn({ err: errorSummary(error) }, 'deep scan heartbeat failed'),
    );
  }, config.heartbeatMs);
  heartbeatTimer.unref();

  let progressRun: Promise<void> | null = null;
  const progressTimer = events
    ? setInterval(() => {
        progressRun ??= pushProgress()
          .catch((error: unknown) =>
            log.warn({ err: errorSummary(error) }, 'deep scan progress not read'),
          )
          .finally(() => {
            progressRun = null;
          });
      }, config.progressIntervalMs)
    : undefined;
  progressTimer?.unref();

  const unsubscribe = events?.subscribe((name, payload) => {
    // A reviewer's decision (or a sync) may have queued places: look now, not at the next poll.
    if (name === 'placesChanged') {
      const reason = (payload as EventPayload<'placesChanged'>).reason;
      if (reason === 'status' || reason === 'sync') wake();
    }
  });

  function wake(): void {
    if (stopping || pause?.kind === 'key') return;
    // A spent budget: one claim re-checks it (the day may have turned, the limit been raised).
    if (pause?.kind === 'budget') {
      pause = null;
      markDirty();
    }
    nextClaimAt = 0;
    notify();
  }

  const looping = loop();

  async function stop(graceMs = config.graceMs): Promise<void> {
    if (stopped) {
      if (graceMs <= 0) endGrace?.();
      return stopped;
    }
    stopping = true;
    notify();
    clearInterval(progressTimer);
    unsubscribe?.();
    stopped = (async () => {
      await looping;
      await housekeepingRun?.catch(() => {});
      await progressRun;
      const unstarted = buffer.splice(0);
      await queue
        .release(unstarted, 0)
        .catch((error: unknown) =>
          log.error({ err: errorSummary(error) }, 'unstarted claims not returned'),
        );
      const running = () => Promise.allSettled([...inFlight.values()].map((s) => s.done));
      if (inFlight.size > 0) {
        log.info({ inFlight: inFlight.size, graceMs }, 'stopping: letting in-flight scans finish');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          endGrace = () => {
            clearTimeout(timer);
            resolve();
          };
          void running().then(endGrace);
        });
        // Interrupted scans see `stopping` and return their place, attempt given back.
        for (const scan of inFlight.values()) scan.controller.abort();
        await running();
      }
      // Leases were kept alive while in-flight scans finished; nothing is held any more.
      clearInterval(heartbeatTimer);
      await housekeepingRun?.catch(() => {});
      await queue.removeWorker(workerId).catch(() => {});
      await pushProgress(true).catch(() => {});
      await queue.close().catch(() => {});
      log.info({ returned: unstarted.length }, 'deep scan loop stopped');
    })();
    return stopped;
  }

  return {
    workerId,
    get running() {
      return !stopping;
    },
    wake,
    status,
    stop,
  };
}
