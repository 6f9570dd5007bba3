import type { EventName, OperationName } from '../../../src-shared/contract';

/**
 * One way of reaching the backend. `invoke` resolves to the raw operation value or rejects with
 * an AppError; the client validates values and event payloads against the contract.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  invoke(name: OperationName, input: unknown): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  /** Called after the event stream reconnects: events may have been missed meanwhile. */
  onReconnect(listener: () => void): () => void;
  /** Whether pushed events arrive: true, false (lost, retrying) or null (not known yet). */
  connection(): boolean | null;
  onConnectionChange(listener: () => void): () => void;
  /** More about the connection for the banner; the same object until it changes. */
  connectionStatus?(): ConnectionStatus;
  /** Try to reach the server at once instead of waiting for the next retry (HTTP only). */
  reconnectNow?(): void;
}

/**
 * `live`: pushed events arrive. `reconnecting`: they don't; the next attempt starts at `retryAt`
 * (null: one is under way, or the desktop's backend is restarting). `failed`: nothing will retry
 * by itself (the desktop's backend kept stopping). `detail` is the main process's sentence.
 */
export interface ConnectionStatus {
  readonly state: 'unknown' | 'live' | 'reconnecting' | 'failed';
  readonly retryAt: number | null;
  readonly detail: string | null;
}

export const UNKNOWN_CONNECTION: ConnectionStatus = {
  state: 'unknown',
  retryAt: null,
  detail: null,
};
export const LIVE_CONNECTION: ConnectionStatus = { state: 'live', retryAt: null, detail: null };
export const LOST_CONNECTION: ConnectionStatus = {
  state: 'reconnecting',
  retryAt: null,
  detail: null,
};
