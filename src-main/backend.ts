import type { OperationName } from '../src-shared/contract';
import type { EventName, EventPayload } from '../src-shared/contract/events';
import type { Settings } from './config';
import type { DispatchResult } from './router/dispatch-result';

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
  /** Subscribe to pushed events; returns the unsubscribe function. */
  subscribe(listener: <E extends EventName>(name: E, payload: EventPayload<E>) => void): () => void;
  /** Only in single-user mode (no JWT_* setting): a token signed by the local key. */
  issueLocalToken(sub: string, ttlSeconds: number): Promise<string>;
  close(): Promise<void>;
}
