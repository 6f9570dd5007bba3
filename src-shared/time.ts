/** One day in milliseconds: UTC days (the daily call limit's, the spend report's, the outbox's). */
export const DAY_MS = 24 * 3600_000;
