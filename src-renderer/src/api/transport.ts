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
}
