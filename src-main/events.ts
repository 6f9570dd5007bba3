import type { EventName, EventPayload } from '../src-shared/contract/events';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** In-process fan-out of pushed events to the IPC bridge and the HTTP event stream. */
export function createEventBus() {
  const listeners = new Set<EventListener>();
  return {
    emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch {
          // One broken subscriber must not stop the others.
        }
      }
    },
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
