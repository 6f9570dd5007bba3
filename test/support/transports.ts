import type { AddressInfo } from 'node:net';
import { contract, type OperationName } from '../../src-shared/contract';
import { ERROR_TYPES } from '../../src-shared/errors';
import type { Backend } from '../../src-main/backend';
import { createHttpServer } from '../../src-main/http/server';

export interface Reply {
  status: number;
  body: unknown;
}

/** One way of calling an operation: the dispatcher directly (as IPC does) or real HTTP. */
export interface Transport {
  name: 'dispatcher' | 'http';
  call(name: OperationName, input: unknown, token: string | undefined): Promise<Reply>;
  close(): Promise<void>;
}

export function dispatcherTransport(backend: Backend): Transport {
  return {
    name: 'dispatcher',
    async call(name, input, token) {
      const result = await backend.dispatch(name, input, token);
      return result.ok
        ? { status: contract[name].http.successStatus, body: result.value }
        : { status: ERROR_TYPES[result.error.type], body: result.error };
    },
    close: async () => {},
  };
}

/** The request a client would send for an operation: path params, then query or JSON body. */
export function httpRequestFor(
  name: OperationName,
  input: unknown,
): { method: string; path: string; body?: string } {
  const { method, path, source } = contract[name].http;
  const rest = {
    ...(input && typeof input === 'object' ? (input as Record<string, unknown>) : {}),
  };
  const filled = path.replace(/:(\w+)/g, (_, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(String(value));
  });
  if (source === 'body')
    return {
      method,
      path: filled,
      body: JSON.stringify(
        input === undefined
          ? undefined
          : typeof input === 'object' && input !== null && !Array.isArray(input)
            ? rest
            : input,
      ),
    };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(rest))
    if (value !== undefined) query.set(key, String(value));
  const qs = query.toString();
  return { method, path: qs ? `${filled}?${qs}` : filled };
}

export async function httpTransport(backend: Backend): Promise<Transport & { baseUrl: string }> {
  const app = await createHttpServer(backend);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    name: 'http',
    baseUrl,
    async call(name, input, token) {
      const request = httpRequestFor(name, input);
      const response = await fetch(baseUrl + request.path, {
        method: request.method,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body,
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    close: () => app.close(),
  };
}
