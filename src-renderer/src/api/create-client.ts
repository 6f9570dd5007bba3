import { AppError } from '../../../src-shared/errors';
import { ApiClient } from './client';
import { createHttpTransport } from './http-transport';
import { createIpcTransport } from './ipc-transport';
import { captureTokenFromLink, createTokenStore, type TokenStore } from './token-store';

export interface ClientSetup {
  client: ApiClient;
  /** Only in browser mode; the desktop app keeps the token in the main process. */
  tokens: TokenStore | null;
}

/** Picks the transport once at start-up: the preload bridge if present, else HTTP. */
export function createClient(): ClientSetup {
  if (window.stagingEditor) {
    return { client: new ApiClient(createIpcTransport(window.stagingEditor)), tokens: null };
  }
  const tokens = createTokenStore(window.localStorage);
  captureTokenFromLink(tokens);
  const client: ApiClient = new ApiClient(
    createHttpTransport(tokens, () =>
      client.notifyUnauthorized(new AppError('unauthorized', 'Your session has expired.')),
    ),
  );
  return { client, tokens };
}
