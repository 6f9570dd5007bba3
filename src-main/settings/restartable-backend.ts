import type { Backend } from '../backend';
import type { Settings } from '../config';
import type { EventListener } from '../events';

/**
 * What a restartable backend needs of the backend behind it: the in-process Backend (`serve`)
 * or the desktop app's backend in its utility process, reached over the relay.
 */
export type RestartablePart = Pick<
  Backend,
  'settings' | 'dispatch' | 'authenticate' | 'issueLocalToken' | 'subscribe' | 'close'
>;

/** The backend the transports hold: it stays while the backend behind it is replaced. */
export type RestartableBackend<B extends RestartablePart = Backend> = B & {
  /**
   * Closes the running backend and starts one with these settings. When the new one can't
   * start, the previous settings are started again and the error is thrown.
   */
  restart(settings: Settings): Promise<void>;
};

/**
 * Restarts the backend (store, dispatcher, scheduler), not the app: calls made during a restart
 * wait for the new backend, and event subscribers carry over to it. After a restart every
 * subscriber is told the places changed (they may be another store's). Every other property
 * (store, authMode, logger, ...) is read from the backend running at the time.
 */
export async function createRestartableBackend<B extends RestartablePart>(
  settings: Settings,
  start: (settings: Settings) => Promise<B>,
): Promise<RestartableBackend<B>> {
  let current = await start(settings);
  let switching: Promise<void> | null = null;
  const listeners = new Set<EventListener>();
  const fanOut: EventListener = (name, payload) => {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  };
  let unsubscribe = current.subscribe(fanOut);

  const ready = async (): Promise<B> => {
    while (switching) await switching.catch(() => undefined);
    return current;
  };

  async function replace(next: Settings): Promise<void> {
    const previous = current.settings;
    unsubscribe();
    await current.close();
    try {
      current = await start(next);
    } catch (error) {
      current = await start(previous);
      throw error;
    } finally {
      unsubscribe = current.subscribe(fanOut);
    }
  }

  const own: RestartablePart & { restart(settings: Settings): Promise<void> } = {
    get settings() {
      return current.settings;
    },
    dispatch: (async (name, rawInput, token) =>
      (await ready()).dispatch(name, rawInput, token)) as Backend['dispatch'],
    authenticate: async (token) => (await ready()).authenticate(token),
    issueLocalToken: async (sub, ttlSeconds) => (await ready()).issueLocalToken(sub, ttlSeconds),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async restart(next) {
      // One restart at a time, in the order asked.
      const run = (switching ?? Promise.resolve()).catch(() => undefined).then(() => replace(next));
      switching = run;
      try {
        await run;
      } finally {
        if (switching === run) switching = null;
        fanOut('placesChanged', { place_ids: null, reason: 'import' });
      }
    },
    async close() {
      const backend = await ready();
      unsubscribe();
      await backend.close();
    },
  };
  // The rest of the surface is the running backend's, read at the time of use.
  return new Proxy(own, {
    get: (target, key) =>
      Object.hasOwn(target, key) ? Reflect.get(target, key) : Reflect.get(current as object, key),
    has: (target, key) => Object.hasOwn(target, key) || Reflect.has(current as object, key),
  }) as RestartableBackend<B>;
}
