import type { PgTransactionConfig } from 'drizzle-orm/pg-core';
import { errorSummary } from '../error-summary';
import type { PgStore, PgTx } from './store';

/** The codes of a transaction PostgreSQL aborted for a conflict: serialization failure, deadlock. */
export const CONFLICT_CODES: ReadonlySet<string> = new Set(['40001', '40P01']);

/**
 * Runs `work` in a transaction, again (at most twice more) when PostgreSQL aborts it for a
 * conflict: the retry starts with a new snapshot, so it sees what the other transaction wrote.
 */
export async function transactionWithRetry<T>(
  db: PgStore['db'],
  work: (tx: PgTx) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, config);
    } catch (error) {
      const code = errorSummary(error).code;
      if (attempt >= 3 || !code || !CONFLICT_CODES.has(code)) throw error;
    }
  }
}
