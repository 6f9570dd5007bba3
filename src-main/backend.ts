import type { OperationName } from '../src-shared/contract';
import type { ErrorBody } from '../src-shared/errors';
import { createTokenVerifier, issueLocalToken, type AuthMode, type VerifiedToken } from './auth';
import type { Settings } from './config';
import { openStore, type Store } from './db/store';
import { createEventBus, type EventListener } from './events';
import { createLogger, type Logger } from './logger';
import { createSampleDataLoader } from './places/sample-data-loader';
import { createPlacesService, placesRepositoryFor, type PlacesService } from './places/service';
import { createHandlers } from './router/app-handlers';
import type { DispatchResult } from './router/dispatch-result';
import { createDispatcher, toAppError } from './router/dispatcher';
import { startScheduler, type Scheduler } from './scan';
import { singleStoreSync } from './sync/service';
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
}

export interface StartBackendOptions {
  logger?: Logger;
  /** Run the deep scan loop in this process (default true; `serve --no-scheduler` says false). */
  scheduler?: boolean;
}

/** Opens the store (applying pending sql/ scripts), the token verifier and the services. */
export async function startBackend(
  settings: Settings,
  options: StartBackendOptions = {},
): Promise<Backend> {
  const logger = options.logger ?? createLogger(settings.LOG_LEVEL);
  const store = await openStore(settings);
  let scan: Scheduler | undefined;
  try {
    const verifier = await createTokenVerifier(settings);
    const places = createPlacesService(placesRepositoryFor(store));
    const events = createEventBus();
    scan = startScheduler({ store, settings, logger, events, runLoop: options.scheduler ?? true });
    const scheduler = scan;
    const handlers = createHandlers({
      places,
      sampleData: createSampleDataLoader(store, { singleUser: verifier.mode === 'local' }),
      events,
      storeKind: store.kind,
      authMode: verifier.mode,
      version: appVersion(),
      scanStatus: () => scheduler.status(),
      sync: singleStoreSync(),
    });
    const dispatch = createDispatcher({ verifier, handlers, logger });
    return {
      settings,
      store,
      places,
      logger,
      authMode: verifier.mode,
      dispatch,
      authenticate: (token) =>
        verifier.verifyWithExpiry(token).then(
          (user) => ({ ok: true as const, user }),
          (error: unknown) => ({
            ok: false as const,
            error: toAppError(error, 'events', logger).toBody(),
          }),
        ),
      subscribe: events.subscribe,
      issueLocalToken: (sub, ttlSeconds) => issueLocalToken(settings, { sub, ttlSeconds }),
      scan: scheduler,
      close: async () => {
        await scheduler.stop();
        await store.close();
      },
    };
  } catch (error) {
    await scan?.stop();
    await store.close();
    throw error;
  }
}
