import type { EventName, OperationName } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { openEventStream, type EventStreamHandle } from './event-stream';
import { buildHttpRequest, readHttpResponse, UNREACHABLE_DETAIL } from './http-request';
import type { TokenStore } from './token-store';
import {
  LIVE_CONNECTION,
  LOST_CONNECTION,
  UNKNOWN_CONNECTION,
  type ConnectionStatus,
  type Transport,
} from './transport';

const STREAM_DELAY_MAX_MS = 2000;

/** Browser mode: the same contract over HTTP on this page's origin, with a bearer token. */
export function createHttpTransport(tokens: TokenStore, onUnauthorized: () => void): Transport {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  const connectionListeners = new Set<() => void>();
  let connected: boolean | null = null;
  let status: ConnectionStatus = UNKNOWN_CONNECTION;
  let stream: EventStreamHandle | null = null;
  let streamPending = false;
  const setStatus = (next: ConnectionStatus) => {
    status = next;
    connectionListeners.forEach((listener) => listener());
  };
  // The server is back as soon as anything answers: the stream needn't sit out its wait.
  const serverAnswered = () => {
    if (connected === false) stream?.reconnectNow();
  };
  if (typeof window !== 'undefined') window.addEventListener('online', serverAnswered);

  // Opening the stream makes the server read the scan counts, which on a big SQLite store blocks
  // it for a moment: connect once the first answer (the grid's first page) is in, not before.
  let firstAnswerIn!: () => void;
  const firstAnswer = new Promise<void>((resolve) => (firstAnswerIn = resolve));
  setTimeout(() => firstAnswerIn(), STREAM_DELAY_MAX_MS);

  const ensureStream = () => {
    if (stream || streamPending) return;
    streamPending = true;
    void firstAnswer.then(() => {
      streamPending = false;
      if (hasListeners()) openStream();
    });
  };
  const hasListeners = () => [...listeners.values()].some((set) => set.size > 0);
  const openStream = () => {
    stream ??= openEventStream({
      tokens,
      onUnauthorized,
      onReconnect: () => reconnectListeners.forEach((listener) => listener()),
      onConnectionChange: (value) => {
        connected = value;
        setStatus(value ? LIVE_CONNECTION : LOST_CONNECTION);
      },
      onRetryScheduled: (retryAt) => {
        if (connected === false) setStatus({ ...LOST_CONNECTION, retryAt });
      },
      onEvent: ({ event, data }) => {
        const targets = listeners.get(event as EventName);
        if (!targets) return;
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          console.warn(`Ignored an event "${event}" whose data is not JSON.`);
          return;
        }
        targets.forEach((listener) => listener(payload));
      },
    });
  };
  const closeStreamIfIdle = () => {
    if (hasListeners()) return;
    stream?.close();
    stream = null;
    connected = null;
    setStatus(UNKNOWN_CONNECTION);
  };

  return {
    kind: 'http',
    async invoke(name: OperationName, input: unknown) {
      const { url, init } = buildHttpRequest(name, input, tokens.get());
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, init);
        text = await response.text();
      } catch {
        throw new AppError('unavailable', UNREACHABLE_DETAIL);
      } finally {
        firstAnswerIn();
      }
      serverAnswered();
      return readHttpResponse(response.status, text);
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      ensureStream();
      return () => {
        set.delete(listener);
        closeStreamIfIdle();
      };
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    connection: () => connected,
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    connectionStatus: () => status,
    reconnectNow: () => stream?.reconnectNow(),
  };
}
