import { createContext, useContext } from 'react';
import type { ApiClient } from './client';

export const ClientContext = createContext<ApiClient | null>(null);

export function useClient(): ApiClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient must be used inside <ClientContext.Provider>.');
  return client;
}
