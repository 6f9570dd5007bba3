import {
  contract,
  events,
  type EventName,
  type EventPayload,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import {
  LIVE_CONNECTION,
  LOST_CONNECTION,
  UNKNOWN_CONNECTION,
  type ConnectionStatus,
  type Transport,
} from './transport';

/**
 * The renderer's one way to the backend, typed by the contract: `call` resolves to the
 * operation's output or throws an AppError; `on` delivers validated event payloads.
 */
export class ApiClient {
  private readonly unauthorizedListeners = new Set<(error: AppError) => void>();

  constructor(private readonly transport: Transport) {}

  get transportKind(): Transport['kind'] {
    return this.transport.kind;
  }

  async call<N extends OperationName>(
    name: N,
    input: OperationInput<N>,
  ): Promise<OperationOutput<N>> {
    try {
      const raw = await this.transport.invoke(name, input);
      const parsed = contract[name].output.safeParse(raw);
      if (!parsed.success) {
        throw new AppError(
          'internal_error',
          `The server sent an answer to "${name}" that this version of the app does not understand.`,
        );
      }
      return parsed.data as OperationOutput<N>;
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.type === 'unauthorized') this.notifyUnauthorized(error);
      throw error;
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.subscribe(event, (raw) => {
      const parsed = events[event].safeParse(raw);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
      else console.warn(`Ignored a "${event}" event that does not match the contract.`);
    });
  }

  onReconnect(listener: () => void): () => void {
    return this.transport.onReconnect(listener);
  }

  /** Whether pushed events arrive: true, false (lost, reconnecting) or null (not known yet). */
  connection(): boolean | null {
    return this.transport.connection();
  }

  onConnectionChange(listener: () => void): () => void {
    return this.transport.onConnectionChange(listener);
  }

  /** The connection as the banner shows it (a stable object between changes). */
  connectionStatus(): ConnectionStatus {
    const status = this.transport.connectionStatus?.();
    if (status) return status;
    const connected = this.transport.connection();
    return connected === null ? UNKNOWN_CONNECTION : connected ? LIVE_CONNECTION : LOST_CONNECTION;
  }

  /** Whether "Try now" means anything: the desktop's backend is restarted by main, not by us. */
  get canReconnectNow(): boolean {
    return typeof this.transport.reconnectNow === 'function';
  }

  reconnectNow(): void {
    this.transport.reconnectNow?.();
  }

  /** Any call (or the event stream) refused the token: the sign-in gate listens here. */
  onUnauthorized(listener: (error: AppError) => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  notifyUnauthorized(error: AppError): void {
    this.unauthorizedListeners.forEach((listener) => listener(error));
  }
}

export function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return new AppError('internal_error', `Something went wrong in the app: ${detail}`);
}
