import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { toAppError } from '../../api/client';
import { captureTokenFromLink, type TokenStore } from '../../api/token-store';
import { forgetRefusedToken, signInTargetFor, submitToken, type SignInMode } from './sign-in-flow';

interface Gate {
  /** Show the sign-in screen. */
  needsSignIn: boolean;
  /**
   * The session was refused while the workspace is up (a 401), as opposed to a first visit in
   * the browser: the workspace stays mounted (inert) behind the sign-in screen. The desktop app
   * always learns it this way, from a call main made with its token (or without one).
   */
  expired: boolean;
  /** Grows at every sign-in, so views re-read what failed while signed out. */
  epoch: number;
}

export interface AuthState extends Gate {
  mode: SignInMode;
  signIn(token: string): Promise<string | null>;
}

/**
 * The sign-in gate. Browser mode: the token lives in localStorage (`tokens`). Desktop app
 * (`tokens` null): main holds the token; after an `unauthorized` answer the screen hands a new
 * one to main through `window.stagingEditor.setToken`.
 */
export function useAuth(client: ApiClient, tokens: TokenStore | null): AuthState {
  const target = useMemo(
    () => signInTargetFor(tokens, tokens ? undefined : window.stagingEditor),
    [tokens],
  );
  const mode: SignInMode = target?.mode ?? (tokens ? 'browser' : 'desktop');
  const [gate, setGate] = useState<Gate>(() => ({
    needsSignIn: tokens !== null && !tokens.get(),
    expired: false,
    epoch: 0,
  }));

  useEffect(
    () =>
      client.onUnauthorized(() => {
        // Nothing to sign in with (an old desktop preload): the error toasts say what failed.
        if (!target) return;
        forgetRefusedToken(target);
        setGate((g) => (g.needsSignIn ? g : { ...g, needsSignIn: true, expired: true }));
      }),
    [client, target],
  );

  /** Hands the token over and checks it with one cheap call; returns an error sentence or null. */
  const signIn = useCallback(
    async (token: string): Promise<string | null> => {
      const error = await submitToken(
        target,
        token,
        async () => void (await client.call('scanStatus', {})),
        toAppError,
      );
      if (error === null) {
        setGate((g) => ({ needsSignIn: false, expired: false, epoch: g.epoch + 1 }));
      }
      return error;
    },
    [client, target],
  );

  // The one-time link opened in a tab that is already here changes only the hash.
  useEffect(() => {
    if (!tokens) return;
    const onHashChange = () => {
      const token = captureTokenFromLink(tokens);
      if (token) void signIn(token);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [tokens, signIn]);

  return { ...gate, mode, signIn };
}
