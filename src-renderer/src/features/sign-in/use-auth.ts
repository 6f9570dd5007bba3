import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { toAppError } from '../../api/client';
import { captureTokenFromLink, type TokenStore } from '../../api/token-store';

interface Gate {
  /** Show the sign-in screen (browser mode only: the desktop app signs in through main). */
  needsSignIn: boolean;
  /** The session ended mid-work (a 401), as opposed to a first visit. */
  expired: boolean;
  /** Grows at every sign-in, so views re-read what failed while signed out. */
  epoch: number;
}

export interface AuthState extends Gate {
  signIn(token: string): Promise<string | null>;
}

export function useAuth(client: ApiClient, tokens: TokenStore | null): AuthState {
  const [gate, setGate] = useState<Gate>(() => ({
    needsSignIn: tokens !== null && !tokens.get(),
    expired: false,
    epoch: 0,
  }));

  useEffect(
    () =>
      client.onUnauthorized(() => {
        if (!tokens) return;
        tokens.set(null);
        setGate((g) => (g.needsSignIn ? g : { ...g, needsSignIn: true, expired: true }));
      }),
    [client, tokens],
  );

  /** Stores the token and checks it with one cheap call; returns an error sentence or null. */
  const signIn = useCallback(
    async (token: string): Promise<string | null> => {
      if (!tokens) return null;
      tokens.set(token.trim());
      try {
        await client.call('scanStatus', {});
      } catch (thrown) {
        const error = toAppError(thrown);
        return error.type === 'unauthorized'
          ? 'That token was not accepted. It may have expired, or belong to another server.'
          : `Could not check the token: ${error.detail}`;
      }
      setGate((g) => ({ needsSignIn: false, expired: false, epoch: g.epoch + 1 }));
      return null;
    },
    [client, tokens],
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

  return { ...gate, signIn };
}
