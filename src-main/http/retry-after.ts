import type { ErrorBody } from '../../src-shared/errors';

/** `Retry-After` for an error that carries a retry hint (the store or the keys are busy). */
export function retryAfterHeader(error: ErrorBody): Record<string, string> {
  return error.retry_after_seconds === undefined
    ? {}
    : { 'Retry-After': String(Math.max(1, Math.ceil(error.retry_after_seconds))) };
}
