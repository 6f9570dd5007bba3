import type { EventName, OperationName, OperationOutput } from '../../../src-shared/contract';
import type { ErrorBody } from '../../../src-shared/errors';
import type { MenuCommand } from '../../../src-shared/menu-commands';

/** What the dispatcher answers over IPC: a value or the one error format (mirrors main's type). */
export type DispatchResult<N extends OperationName = OperationName> =
  { ok: true; value: OperationOutput<N> } | { ok: false; error: ErrorBody };

/** Exactly what the Electron preload exposes on `window.stagingEditor` (see its preload.ts). */
export interface StagingEditorBridge {
  invoke(name: OperationName, input: unknown): Promise<DispatchResult>;
  on(event: EventName, callback: (payload: unknown) => void): () => void;
  /**
   * Hands main the token from the sign-in screen (main keeps it encrypted and attaches it to
   * every later `invoke`); `''` forgets it. Rejects with an Error whose message is one sentence
   * to show the user. Only for real JWTs: single-user mode refuses it (main signs its own).
   * Optional in this type only so that fakes and an older preload still type-check; the
   * sign-in screen checks for it (see desktopTokenSetter).
   */
  setToken?(token: string): Promise<void>;
  /**
   * The application menu's page commands (File > Import Places…, …); returns the unsubscribe
   * function. Optional for the same reason as setToken.
   */
  onMenuCommand?(callback: (command: MenuCommand) => void): () => void;
}

declare global {
  interface Window {
    stagingEditor?: StagingEditorBridge;
  }
}
