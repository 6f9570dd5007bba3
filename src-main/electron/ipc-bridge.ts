import { isOperationName } from '../../src-shared/contract';
import type { ErrorBody, ErrorType } from '../../src-shared/errors';
import type { Backend } from '../backend';
import type { DispatchResult } from '../router/dispatch-result';
import type { SessionToken, SignedInSessionToken } from './session-token';
import { TokenStoreError } from './token-store';
import { isTrustedSender } from './trusted-sender';

/** What main knows about the frame an IPC message came from. */
export interface IpcSender {
  /** The sender frame's URL, or undefined when the frame is gone. */
  url: string | undefined;
  /** True only for the top frame of the main window. */
  isMainFrame: boolean;
}

type Logger = Pick<Backend['logger'], 'warn' | 'error'>;

export type SetTokenResult = { ok: true } | { ok: false; error: ErrorBody };

/**
 * `staging-editor:invoke`: checks who is asking and which operation, then calls the same
 * dispatcher the HTTP server uses with the token main holds. Every refusal is a DispatchResult
 * in the one error format, like any other failure.
 */
export function createInvokeHandler(deps: {
  dispatch: Backend['dispatch'];
  sessionToken: SessionToken;
  /** True once the app has started shutting the backend down. */
  isClosing: () => boolean;
  logger: Logger;
  /** electron-vite's dev server origin in development (renderer-source.ts). */
  devOrigin?: string;
}) {
  return async (sender: IpcSender, name: unknown, input: unknown): Promise<DispatchResult> => {
    if (!isTrustedSender(sender.url, sender.isMainFrame, deps.devOrigin)) {
      deps.logger.warn({ channel: 'invoke' }, 'refused an IPC call from an untrusted frame');
      return failure('unauthorized', 'Only the Staging Editor window may call the backend.');
    }
    if (!isOperationName(name)) {
      return failure('not_found', `Unknown operation "${String(name).slice(0, 100)}".`);
    }
    if (deps.isClosing()) {
      return failure('unavailable', 'Staging Editor is closing; nothing was changed.');
    }
    let token: string | undefined;
    try {
      token = await deps.sessionToken.current();
    } catch (error) {
      deps.logger.error({ error: (error as Error).message }, 'could not sign the local token');
      return failure('internal_error', 'The app could not sign you in; restart it and try again.');
    }
    return deps.dispatch(name, input, token);
  };
}

/**
 * `staging-editor:set-token`: the sign-in screen's token, saved encrypted. Refused in
 * single-user mode, where main signs its own.
 */
export function createSetTokenHandler(deps: {
  /** Null in single-user mode. */
  sessionToken: SignedInSessionToken | null;
  logger: Logger;
  /** electron-vite's dev server origin in development (renderer-source.ts). */
  devOrigin?: string;
}) {
  return async (sender: IpcSender, token: unknown): Promise<SetTokenResult> => {
    if (!isTrustedSender(sender.url, sender.isMainFrame, deps.devOrigin)) {
      deps.logger.warn({ channel: 'set-token' }, 'refused an IPC call from an untrusted frame');
      return failure('unauthorized', 'Only the Staging Editor window may sign in.');
    }
    if (deps.sessionToken === null) {
      return failure(
        'bad_request',
        'Single-user mode signs you in automatically; there is no token to set.',
      );
    }
    if (typeof token !== 'string') {
      return failure('validation_error', 'The token must be a string.');
    }
    try {
      await deps.sessionToken.set(token);
      return { ok: true };
    } catch (error) {
      if (error instanceof TokenStoreError) return failure('bad_request', error.message);
      deps.logger.error({ error: (error as Error).message }, 'could not save the token');
      return failure('internal_error', 'The token could not be saved; try again.');
    }
  };
}

function failure(type: ErrorType, detail: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: { status: 'error', type, detail } };
}
