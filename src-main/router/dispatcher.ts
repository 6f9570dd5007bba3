import { contract, isOperationName, type OperationName } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { TokenVerifier } from '../auth';
import { isConnectionException, isPoolerBusy } from '../db/pooler-errors';
import { errorStack, errorSummary } from '../error-summary';
import type { Logger } from '../logger';
import type { DispatchResult } from './dispatch-result';
import type { Handlers } from './handlers';
import { validationError } from './validation';

export type Dispatch = <N extends OperationName>(
  name: N,
  rawInput: unknown,
  token: string | undefined,
) => Promise<DispatchResult<N>>;

/**
 * The one entry point both transports call: verify the token, parse the input against the
 * contract, call the handler, and turn every failure into the one error format. No business
 * logic lives here.
 */
export function createDispatcher(deps: {
  verifier: TokenVerifier;
  handlers: Handlers;
  logger: Logger;
}): Dispatch {
  return async (name, rawInput, token) => {
    try {
      if (!isOperationName(name))
        throw new AppError('not_found', `Unknown operation "${String(name)}".`);
      const operation = contract[name];
      const userId = operation.auth ? (await deps.verifier.verify(token)).userId : null;
      const parsed = operation.input.safeParse(rawInput ?? {});
      if (!parsed.success) throw validationError(parsed.error);
      const handler = (deps.handlers as Partial<Record<OperationName, unknown>>)[name] as
        ((input: unknown, ctx: { userId: string | null }) => Promise<unknown>) | undefined;
      if (!handler) throw new AppError('not_found', `Operation "${name}" is not available here.`);
      const value = await handler(parsed.data, { userId });
      return { ok: true, value } as DispatchResult<typeof name>;
    } catch (error) {
      return { ok: false, error: toAppError(error, name, deps.logger).toBody() };
    }
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P03',
]);

/**
 * The store is there but busy: lock_timeout, statement_timeout (or a cancel), too many
 * connections, SQLite's busy timeout. Nothing was changed (the transaction rolled back).
 */
const BUSY_CODES = new Set(['55P03', '57014', '53300', 'SQLITE_BUSY']);

/** pg-pool's error when no connection came free within the connect timeout (it has no code). */
const POOL_TIMEOUT = /^timeout exceeded when trying to connect$/;

/** How long a client is told to wait before trying again when the store is busy or down. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** Any failure as the one error format, logged without secrets (the event stream uses it too). */
export function toAppError(error: unknown, operation: string, logger: Logger): AppError {
  if (error instanceof AppError) {
    if (
      error.type !== 'unauthorized' &&
      error.type !== 'validation_error' &&
      error.type !== 'not_found'
    ) {
      logger.warn({ operation, type: error.type }, error.detail);
    }
    return error;
  }
  const summary = errorSummary(error);
  const code = summary.code;
  const retry = { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS };
  if (
    (code && BUSY_CODES.has(code)) ||
    POOL_TIMEOUT.test(summary.message) ||
    isPoolerBusy(code, summary.message)
  ) {
    logger.warn({ operation, code: code ?? 'pool_timeout' }, 'the store is busy');
    return new AppError(
      'unavailable',
      `The database is busy right now; nothing was changed. Try again in ${STORE_RETRY_AFTER_SECONDS} seconds.`,
      undefined,
      retry,
    );
  }
  if (code && (UNAVAILABLE_CODES.has(code) || isConnectionException(code))) {
    logger.error({ operation, code }, 'the store is unavailable');
    return new AppError(
      'unavailable',
      `The database is unavailable right now; nothing was changed. Try again in ${STORE_RETRY_AFTER_SECONDS} seconds.`,
      undefined,
      retry,
    );
  }
  // The user is told "the details are in the log": these are they (the logger scrubs secrets).
  logger.error({ operation, ...summary, stack: errorStack(error) }, 'unexpected error');
  return new AppError(
    'internal_error',
    'Something went wrong on our side; nothing was changed. The details are in the log.',
  );
}
