import type { EventName, OperationName } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import type { StagingEditorBridge } from './bridge';
import { LIVE_CONNECTION, type ConnectionStatus, type Transport } from './transport';

/**
 * The desktop app: the preload bridge carries calls and events; main attaches the user's token.
 * When the backend process stops, main says so (`backendStatus`): the connection counts as lost
 * (the connection banner shows it, with main's sentence) until it is restored, and then the views re-read as after an event
 * stream reconnect, since events may have been missed meanwhile.
 */
export function createIpcTransport(bridge: StagingEditorBridge): Transport {
  let connected = true;
  let status: ConnectionStatus = LIVE_CONNECTION;
  const connectionListeners = new Set<() => void>();
  const reconnectListeners = new Set<() => void>();
  bridge.on('backendStatus', (payload) => {
    const { state, detail } = (payload ?? {}) as { state?: unknown; detail?: unknown };
    const next = state === 'restored';
    const sentence = typeof detail === 'string' && detail ? detail : null;
    const wasConnected = connected;
    connected = next;
    status = next
      ? LIVE_CONNECTION
      : { state: state === 'failed' ? 'failed' : 'reconnecting', retryAt: null, detail: sentence };
    connectionListeners.forEach((listener) => listener());
    if (connected && !wasConnected) reconnectListeners.forEach((listener) => listener());
  });
  return {
    kind: 'ipc',
    async invoke(name: OperationName, input: unknown) {
      const result = await bridge.invoke(name, input);
      if (!result.ok) throw AppError.fromBody(result.error);
      return result.value;
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      return bridge.on(event, listener);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    connection: () => connected,
    connectionStatus: () => status,
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

/** What Electron puts before an error thrown in main when ipcRenderer.invoke rejects. */
const REMOTE_ERROR_PREFIX = /^Error invoking remote method '[^']*': (?:\w*Error: )?/;

/**
 * The desktop app's way to sign in: the bridge's `setToken`, rejecting with an Error whose
 * message is one sentence for the sign-in screen. Null when the preload has no `setToken`.
 */
export function desktopTokenSetter(
  bridge: Partial<Pick<StagingEditorBridge, 'setToken'>>,
): ((token: string) => Promise<void>) | null {
  if (typeof bridge.setToken !== 'function') return null;
  return async (token) => {
    try {
      await bridge.setToken!(token);
    } catch (thrown) {
      throw new Error(signInFailureSentence(thrown));
    }
  };
}

/** A rejection from main as the one sentence to show, never a blank or a raw IPC message. */
export function signInFailureSentence(thrown: unknown): string {
  const raw = thrown instanceof Error ? thrown.message : typeof thrown === 'string' ? thrown : '';
  const sentence = raw.replace(REMOTE_ERROR_PREFIX, '').trim();
  return sentence || 'The app could not save the token; try again.';
}
