const TOKEN_KEY = 'staging-editor.token';

/** The browser-mode bearer token, kept in localStorage (the desktop app keeps it in main). */
export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
  subscribe(listener: () => void): () => void;
}

export function createTokenStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
  const listeners = new Set<() => void>();
  const store: TokenStore = {
    get: () => storage.getItem(TOKEN_KEY),
    set(token) {
      if (token) storage.setItem(TOKEN_KEY, token);
      else storage.removeItem(TOKEN_KEY);
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}

/** The token in a one-time sign-in link (`#token=<jwt>`), or null. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  return token ? token : null;
}

/**
 * Stores the token from a one-time link and removes it from the address bar and history.
 * Returns the token, or null when the address carries none.
 */
export function captureTokenFromLink(store: TokenStore): string | null {
  const token = tokenFromHash(window.location.hash);
  if (!token) return null;
  store.set(token);
  history.replaceState(history.state, '', window.location.pathname + window.location.search);
  return token;
}
