import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { toAppError } from '../router/dispatcher';
import { isTemporaryFailure } from '../sync/apply-mutations';

/** What pg makes of PgBouncer's ErrorResponse. */
function poolerError(message: string): Error {
  return Object.assign(new Error(message), { code: '08P01', severity: 'ERROR' });
}

describe("a transaction-mode PgBouncer's own errors", () => {
  const logger = createLogger('silent');

  it('a lost server connection: the store is unavailable, a push tries again later', () => {
    const error = poolerError('server conn crashed?');
    const body = toAppError(error, 'updateStatus', logger).toBody();
    expect(body).toMatchObject({ type: 'unavailable', retry_after_seconds: 5 });
    expect(body.detail).toMatch(/^The database is unavailable right now; nothing was changed/);
    expect(isTemporaryFailure(error)).toBe(true);
  });

  it('no server connection in time, or no room for another client: the store is busy', () => {
    for (const message of ['query_wait_timeout', 'no more connections allowed (max_client_conn)']) {
      const body = toAppError(poolerError(message), 'listPlaces', logger).toBody();
      expect(body).toMatchObject({ type: 'unavailable', retry_after_seconds: 5 });
      expect(body.detail).toMatch(/^The database is busy right now; nothing was changed/);
      expect(isTemporaryFailure(poolerError(message))).toBe(true);
    }
  });

  it('other errors stay what they were', () => {
    const error = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(toAppError(error, 'updateStatus', logger).toBody().type).toBe('internal_error');
    expect(isTemporaryFailure(error)).toBe(false);
  });
});
