import type { EventName, OperationName, OperationOutput } from '../../../src-shared/contract';
import type { ErrorBody } from '../../../src-shared/errors';

/** What the dispatcher answers over IPC: a value or the one error format (mirrors main's type). */
export type DispatchResult<N extends OperationName = OperationName> =
  { ok: true; value: OperationOutput<N> } | { ok: false; error: ErrorBody };

/** Exactly what the Electron preload exposes on `window.stagingEditor`. */
export interface StagingEditorBridge {
  invoke(name: OperationName, input: unknown): Promise<DispatchResult>;
  on(event: EventName, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    stagingEditor?: StagingEditorBridge;
  }
}
