import type { AppError } from '../../../../src-shared/errors';
import type { StagingEditorBridge } from '../../api/bridge';
import { desktopTokenSetter } from '../../api/ipc-transport';
import type { TokenStore } from '../../api/token-store';

export type SignInMode = 'browser' | 'desktop';

/**
 * Where a pasted token goes. Browser mode keeps it in localStorage and sends it with every
 * request; the desktop app hands it to main (`window.stagingEditor.setToken`), which keeps it
 * encrypted and attaches it to every call, so the renderer never holds it.
 */
export type SignInTarget =
  | { mode: 'browser'; tokens: TokenStore }
  | { mode: 'desktop'; setToken(token: string): Promise<void> };

/**
 * The target for this window: the token store in browser mode, the preload's `setToken` in the
 * desktop app. Null when there is no way to sign in (a desktop preload without `setToken`).
 */
export function signInTargetFor(
  tokens: TokenStore | null,
  bridge: Partial<Pick<StagingEditorBridge, 'setToken'>> | undefined,
): SignInTarget | null {
  if (tokens) return { mode: 'browser', tokens };
  const setToken = bridge ? desktopTokenSetter(bridge) : null;
  return setToken ? { mode: 'desktop', setToken } : null;
}

/** Called when the server refused the session: browser mode forgets the refused token. */
export function forgetRefusedToken(target: SignInTarget | null): void {
  if (target?.mode === 'browser') target.tokens.set(null);
  // The desktop app keeps main's token until the user signs in again: setToken replaces it.
}

export const NO_TOKEN_SENTENCE = 'Paste a token first.';
export const REFUSED_TOKEN_SENTENCE =
  'That token was not accepted. It may have expired, or belong to another server.';

/**
 * Signs in with a pasted token: hands it over, then checks it with one cheap call. Answers null
 * when signed in, or one sentence saying what went wrong (the screen shows it with role="alert").
 */
export async function submitToken(
  target: SignInTarget | null,
  pasted: string,
  check: () => Promise<void>,
  toAppError: (thrown: unknown) => AppError,
): Promise<string | null> {
  const token = pasted.trim();
  if (!token) return NO_TOKEN_SENTENCE;
  if (!target) return 'This window cannot sign in. Restart Staging Editor and try again.';

  if (target.mode === 'browser') {
    target.tokens.set(token);
  } else {
    try {
      await target.setToken(token);
    } catch (thrown) {
      // setToken's message is already one sentence (not a JWT, no keyring, single-user mode).
      return thrown instanceof Error ? thrown.message : String(thrown);
    }
  }

  try {
    await check();
    return null;
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.type === 'unauthorized') {
      // Don't keep a token the server refuses (browser mode: the 401 listener already did).
      if (target.mode === 'desktop') await target.setToken('').catch(() => {});
      return REFUSED_TOKEN_SENTENCE;
    }
    return `Could not check the token: ${error.detail}`;
  }
}

export interface SignInCopy {
  heading: string;
  explanation: string;
}

/** The sign-in screen's words for each mode and moment. */
export function signInCopy(mode: SignInMode, expired: boolean): SignInCopy {
  if (mode === 'desktop') {
    return {
      heading: 'Sign in to Staging Editor',
      explanation:
        'Paste the access token your team gave you. The app keeps it encrypted on this computer. ' +
        'Your filters, sort and selection are kept.',
    };
  }
  return expired
    ? {
        heading: 'Your session has expired',
        explanation: 'Sign in again to carry on. Your filters, sort and selection are kept.',
      }
    : {
        heading: 'Sign in to Staging Editor',
        explanation:
          'Open the one-time link printed by "staging-editor serve", or paste an access token (from "staging-editor token") below.',
      };
}
