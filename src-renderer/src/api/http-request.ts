import { contract, type OperationName } from '../../../src-shared/contract';
import { AppError, ERROR_TYPES, isErrorBody, type ErrorType } from '../../../src-shared/errors';

export interface HttpRequest {
  /** Path and query, relative to the server's origin. */
  url: string;
  init: RequestInit;
}

/** Maps an operation call onto the contract's HTTP route: path params, then query or JSON body. */
export function buildHttpRequest(
  name: OperationName,
  input: unknown,
  token: string | null,
): HttpRequest {
  const { method, path, source } = contract[name].http;
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined) };
  const filledPath = path.replace(/:([A-Za-z_]\w*)/g, (_match, param: string) => {
    const value = rest[param];
    delete rest[param];
    if (value === undefined || value === null || value === '') {
      throw new AppError('validation_error', `Missing "${param}" for ${name}.`);
    }
    return encodeURIComponent(String(value));
  });

  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;

  if (source === 'query') {
    const query = toQueryString(rest);
    return { url: query ? `${filledPath}?${query}` : filledPath, init: { method, headers } };
  }
  headers['Content-Type'] = 'application/json';
  return { url: filledPath, init: { method, headers, body: JSON.stringify(rest) } };
}

function toQueryString(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return params.toString();
}

/** Turns an HTTP answer into the operation's raw value, or throws the server's AppError. */
export function readHttpResponse(status: number, bodyText: string): unknown {
  const body = parseJson(bodyText);
  if (status >= 200 && status < 300) return body;
  if (isErrorBody(body)) throw AppError.fromBody(body);
  throw new AppError(errorTypeForStatus(status), `The server answered with HTTP ${status}.`);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorTypeForStatus(status: number): ErrorType {
  const match = (Object.entries(ERROR_TYPES) as [ErrorType, number][]).find(
    ([, code]) => code === status,
  );
  return match ? match[0] : status >= 500 ? 'internal_error' : 'bad_request';
}

export const UNREACHABLE_DETAIL =
  'Cannot reach the Staging Editor server. Check that it is running and that this computer is online, then try again.';
