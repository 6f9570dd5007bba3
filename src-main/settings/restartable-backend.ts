import type { Backend } from '../backend';
import type { Settings } from '../config';
import type { EventListener } from '../events';

/** The backend the transports hold: it stays while the backend behind it is replaced. */
export interface RestartableBackend extends Backend {
  /**
   * Closes the running backend and starts one with these settings. When the new one can't
   * start, the previous settings are started again and the error is thrown.
   */
  restart(settings: Settings): Promise<void>;
}

/**
 * Restarts the backend (store, dispatcher, scheduler), not the app: calls made during a restart
 * wait for the new backend, and event subscribers carry over to it. After a restart every
 * subscriber is told the places changed (they may be another store's).
 */
export async function createRestartableBackend(
  settings: Settings,
  start: (settings: Settings) => Promise<Backend>,
): Promise<RestartableBackend> {
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

  const ready = async (): Promise<Backend> => {
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

  return {
    get settings() {
      return current.settings;
    },
    get store() {
      return current.store;
    },
    get places() {
      return current.places;
    },
    get authMode() {
      return current.authMode;
    },
    get logger() {
      return current.logger;
    },
    get scan() {
      return current.scan;
    },
    get sync() {
      return current.sync;
    },
    dispatch: async (name, rawInput, token) => (await ready()).dispatch(name, rawInput, token),
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
}
