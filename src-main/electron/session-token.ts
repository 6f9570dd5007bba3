import { EncryptionUnavailableError, type TokenStore } from './token-store';

/**
 * The token main attaches to every call from the renderer; the renderer never holds it.
 * Single-user mode signs its own; every other mode uses the one the sign-in screen gave.
 */
export interface SessionToken {
  current(): Promise<string | undefined>;
}

/** Single-user mode: long enough for a working day, renewed well before it runs out. */
export const LOCAL_TOKEN_TTL_SECONDS = 12 * 3600;
const RENEW_BEFORE_EXPIRY_MS = 10 * 60 * 1000;

export function createLocalSessionToken(options: {
  issue: (sub: string, ttlSeconds: number) => Promise<string>;
  /** The OS user: `updated_by` names them. */
  sub: string;
  ttlSeconds?: number;
  now?: () => number;
}): SessionToken {
  const ttlSeconds = options.ttlSeconds ?? LOCAL_TOKEN_TTL_SECONDS;
  const now = options.now ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  let issuing: Promise<string> | undefined;

  return {
    async current() {
      if (cached && now() < cached.renewAt) return cached.token;
      // Calls that arrive while a token is being signed share that one.
      issuing ??= (async () => {
        const issuedAt = now();
        const token = await options.issue(options.sub, ttlSeconds);
        const lifetime = ttlSeconds * 1000;
        cached = {
          token,
          renewAt: issuedAt + Math.max(lifetime - RENEW_BEFORE_EXPIRY_MS, lifetime / 2),
        };
        return token;
      })().finally(() => {
        issuing = undefined;
      });
      return issuing;
    },
  };
}

export interface SignedInSessionToken extends SessionToken {
  /** Saves the token from the sign-in screen (encrypted), or forgets it when given ''. */
  set(token: string): Promise<void>;
}

/**
 * Other modes: the token the user signed in with, kept in memory and in the token store. When
 * the system cannot encrypt it (Linux without a keyring), it is kept in memory only, for this
 * session, and never written in plain text; `onSessionOnly` is called the first time that happens
 * (the app tells the user once).
 */
export function createSignedInSessionToken(
  store: TokenStore,
  saved: string | undefined,
  options: { onSessionOnly?: () => void } = {},
): SignedInSessionToken {
  let token = saved;
  let told = false;
  return {
    current: async () => token,
    async set(next) {
      if (next === '') {
        token = undefined;
        await store.clear();
        return;
      }
      try {
        await store.save(next);
      } catch (error) {
        if (!(error instanceof EncryptionUnavailableError)) throw error;
        // An older token saved under a keyring that has gone away is stale now.
        await store.clear();
        token = next;
        if (!told) {
          told = true;
          options.onSessionOnly?.();
        }
        return;
      }
      token = next;
    },
  };
}

/** The OS user's name for `sub`, with a fallback for systems that have no passwd entry. */
export function desktopUserName(
  userInfo: () => { username: string },
  env: Record<string, string | undefined>,
): string {
  try {
    const name = userInfo().username.trim();
    if (name) return name;
  } catch {
    // Containers without a passwd entry for the uid: fall back to the environment.
  }
  return env.USER?.trim() || env.USERNAME?.trim() || 'desktop-user';
}
