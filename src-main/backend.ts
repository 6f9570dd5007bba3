import type { OperationName } from '../src-shared/contract';
import type { ErrorBody } from '../src-shared/errors';
import { createTokenVerifier, issueLocalToken, type AuthMode, type VerifiedToken } from './auth';
import { isTeamMode, type Settings } from './config';
import { openSqlite, openStore, type PgStore, type Store } from './db/store';
import { createEventBus, type EventListener } from './events';
import { createLogger, secretsOf, type Logger } from './logger';
import { createSampleDataLoader } from './places/sample-data-loader';
import { createPlacesService, placesRepositoryFor, type PlacesService } from './places/service';
import { createHandlers } from './router/app-handlers';
import type { DispatchResult } from './router/dispatch-result';
import { createDispatcher, toAppError } from './router/dispatcher';
import { readScanProgress, startScheduler, type Scheduler } from './scan';
import { applyDailyCallLimitSetting } from './scan/daily-limit';
import { readSpend } from './scan/spend';
import { AppError } from '../src-shared/errors';
import { createSyncEngine, type SyncEngine } from './sync/engine';
import { singleStoreSync } from './sync/service';
import { createTeamPlaces, teamSampleData, teamSyncService } from './sync/team';
import { appVersion } from './version';

/**
 * The bundled backend as both transports see it: the Electron IPC bridge and the headless HTTP
 * server call `dispatch` with the operation name, the raw input and the bearer token.
 */
export interface Backend {
  readonly settings: Settings;
  dispatch<N extends OperationName>(
    name: N,
    rawInput: unknown,
    token: string | undefined,
  ): Promise<DispatchResult<N>>;
  /**
   * Checks a token exactly as the dispatcher does, for the event stream: the user and the token's
   * expiry, or the error the dispatcher would answer (401, or 503 when the keys can't be had).
   */
  authenticate(
    token: string | undefined,
  ): Promise<{ ok: true; user: VerifiedToken } | { ok: false; error: ErrorBody }>;
  /** Subscribe to pushed events; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Only in single-user mode (no JWT_* setting): a token signed by the local key. */
  issueLocalToken(sub: string, ttlSeconds: number): Promise<string>;
  close(): Promise<void>;
  readonly store: Store;
  readonly places: PlacesService;
  readonly authMode: AuthMode;
  readonly logger: Logger;
  readonly scan: Scheduler;
  /** Team mode only: the engine moving decisions between the replica and the shared store. */
  readonly sync: SyncEngine | null;
}

export interface StartBackendOptions {
  logger?: Logger;
  /** Run the deep scan loop in this process (default true; `serve --no-scheduler` says false). */
  scheduler?: boolean;
  /** Team mode: work on the replica and keep decisions in the outbox (`serve --offline`). */
  offline?: boolean;
  /** Team mode: the random source of the retry jitter (tests seed it). */
  random?: () => number;
  /**
   * The spend ledger's clock (epoch ms): the UTC day the daily call limit and the spend report
   * count, and the calls' start times (default Date.now; tests pin the day).
   */
  clock?: () => number;
}

/** Opens the store (applying pending sql/ scripts), the token verifier and the services. */
export async function startBackend(
  settings: Settings,
  options: StartBackendOptions = {},
): Promise<Backend> {
  if (isTeamMode(settings)) return startTeamBackend(settings, options);
  const logger = options.logger ?? defaultLogger(settings);
  const store = await openStore(settings);
  logTimeoutDelivery(store, logger);
  let scan: Scheduler | undefined;
  try {
    const verifier = await createTokenVerifier(settings);
    const places = createPlacesService(placesRepositoryFor(store));
    const events = createEventBus();
    // This process's DEEP_SCAN_DAILY_CALL_LIMIT, if set, is the store's limit (daily-limit.ts).
    await applyDailyCallLimitSetting(store, settings, logger);
    scan = schedulerOn(store, settings, logger, events, options);
    const scheduler = scan;
    const handlers = createHandlers({
      places,
      sampleData: createSampleDataLoader(store, { singleUser: verifier.mode === 'local' }),
      events,
      storeKind: store.kind,
      authMode: verifier.mode,
      version: appVersion(),
      scanStatus: () => scheduler.status(),
      scanSpend: (input) =>
        readSpend(store, { days: input.days, settings, now: options.clock?.() }),
      sync: singleStoreSync(),
    });
    return assemble({
      settings,
      store,
      places,
      logger,
      verifier,
      handlers,
      events,
      scan: scheduler,
      sync: null,
      close: async () => {
        await scheduler.stop();
        await store.close();
      },
    });
  } catch (error) {
    await scan?.stop();
    await store.close();
    throw error;
  }
}

/** The deep scan scheduler on `store`, its loop running unless the options say not. */
function schedulerOn(
  store: Store,
  settings: Settings,
  logger: Logger,
  events: Parameters<typeof startScheduler>[0]['events'],
  options: StartBackendOptions,
): Scheduler {
  return startScheduler({
    store,
    settings,
    logger,
    events,
    runLoop: options.scheduler ?? true,
    clock: options.clock,
  });
}

/** Says once when a pooler between made the timeouts go per transaction (db/pg-timeouts.ts). */
function logTimeoutDelivery(store: Store, logger: Logger): Store {
  if (store.kind === 'postgres' && store.timeoutDelivery === 'per-transaction') {
    logger.info(
      'PostgreSQL: lock_timeout and statement_timeout did not arrive as startup parameters (a connection pooler between refused or dropped them), so every transaction sets them itself',
    );
  }
  return store;
}

/** Standard error, scrubbed of the settings' secrets (the CLI and the desktop app pass their own). */
function defaultLogger(settings: Settings): Logger {
  return createLogger(settings.LOG_LEVEL, undefined, { secrets: secretsOf(settings) });
}

function assemble(parts: {
  settings: Settings;
  store: Store;
  places: PlacesService;
  logger: Logger;
  verifier: Awaited<ReturnType<typeof createTokenVerifier>>;
  handlers: ReturnType<typeof createHandlers>;
  events: ReturnType<typeof createEventBus>;
  scan: Scheduler;
  sync: SyncEngine | null;
  close: () => Promise<void>;
}): Backend {
  const { settings, verifier, logger } = parts;
  return {
    settings,
    store: parts.store,
    places: parts.places,
    logger,
    authMode: verifier.mode,
    dispatch: createDispatcher({ verifier, handlers: parts.handlers, logger }),
    authenticate: (token) =>
      verifier.verifyWithExpiry(token).then(
        (user) => ({ ok: true as const, user }),
        (error: unknown) => ({
          ok: false as const,
          error: toAppError(error, 'events', logger).toBody(),
        }),
      ),
    subscribe: parts.events.subscribe,
    issueLocalToken: (sub, ttlSeconds) => issueLocalToken(settings, { sub, ttlSeconds }),
    scan: parts.scan,
    sync: parts.sync,
    close: parts.close,
  };
}

/**
 * Team mode: the replica is `store` (always there, even when the shared store is not), the sync
 * engine decides where requests go, and the deep scan loop starts on the shared store the first
 * time it is reached (a replica never scans: its rows are overwritten by the next pull).
 */
async function startTeamBackend(
  settings: Settings,
  options: StartBackendOptions,
): Promise<Backend> {
  const logger = options.logger ?? defaultLogger(settings);
  const replica = openSqlite(settings.SQLITE_PATH!);
  let engine: SyncEngine | undefined;
  let scheduler: Scheduler | null = null;
  let shared: PgStore | null = null;
  try {
    const verifier = await createTokenVerifier(settings);
    const events = createEventBus();
    engine = createSyncEngine({
      url: settings.DATABASE_URL!,
      replica,
      openShared: async () => {
        const store = logTimeoutDelivery(await openStore(settings), logger) as PgStore;
        // This process's DEEP_SCAN_DAILY_CALL_LIMIT, if set, is the shared store's limit.
        await applyDailyCallLimitSetting(store, settings, logger).catch(async (error: unknown) => {
          await store.close();
          throw error;
        });
        return store;
      },
      logger,
      events,
      forcedOffline: options.offline ?? false,
      locations: settings.SYNC_LOCATIONS ?? null,
      random: options.random,
      probeTimeoutMs: settings.SYNC_PROBE_TIMEOUT_SECONDS * 1000,
      pullIntervalMs: settings.SYNC_PULL_INTERVAL_SECONDS * 1000,
      retryMaxMs: settings.SYNC_RETRY_MAX_SECONDS * 1000,
      onShared: (store) => {
        shared = store;
        scheduler = schedulerOn(store, settings, logger, events, options);
      },
    });
    const sync = engine;
    const { places, offline } = createTeamPlaces(sync, replica);
    const scan: Scheduler = {
      workerId: 'team',
      get running() {
        return scheduler?.running ?? false;
      },
      wake: () => scheduler?.wake(),
      // Before the shared store was ever reached: the replica's counts, nothing running.
      status: () =>
        scheduler && sync.online
          ? scheduler.status()
          : readScanProgress(replica, { settings, running: false }).then((p) => ({
              ...p,
              paused_reason:
                'Deep scans run on the shared store, which is unreachable now: places you set to Selected are queued when your decisions sync.',
            })),
      stop: async (graceMs) => {
        await scheduler?.stop(graceMs);
      },
    };
    const handlers = createHandlers({
      places,
      sampleData: teamSampleData(sync, (store) =>
        createSampleDataLoader(store, { singleUser: verifier.mode === 'local' }),
      ),
      events,
      storeKind: 'postgres',
      authMode: verifier.mode,
      version: appVersion(),
      scanStatus: () => scan.status(),
      // The ledger is the shared store's (a replica never scans).
      scanSpend: (input) => {
        if (!shared || !sync.online) {
          throw new AppError(
            'unavailable',
            'The spend ledger is on the shared store, which is unreachable now.',
          );
        }
        return readSpend(shared, { days: input.days, settings });
      },
      sync: teamSyncService({ engine: sync, replica, offline, events }),
    });
    return assemble({
      settings,
      store: replica,
      places,
      logger,
      verifier,
      handlers,
      events,
      scan,
      sync,
      close: async () => {
        await sync.stop();
        await scan.stop();
        await sync.shared?.close();
        await replica.close();
      },
    });
  } catch (error) {
    await engine?.stop();
    await replica.close();
    throw error;
  }
}
