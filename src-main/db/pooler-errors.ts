/**
 * How a transaction-mode PgBouncer reports failures of its own: an ErrorResponse with SQLSTATE
 * 08P01 (class 08, connection exception) and a short message, e.g. "server conn crashed?" (the
 * server connection under a transaction died: PostgreSQL restarted, pg_terminate_backend, a
 * network cut) or "query_wait_timeout" (no server connection came free in time). Either way the
 * transaction did not commit, so trying again later is right.
 */

/** Class 08: the connection failed (PostgreSQL's own codes and every PgBouncer error). */
export function isConnectionException(code: string | undefined): boolean {
  return code !== undefined && code.startsWith('08');
}

/** The pooler had no server connection for us in time, or no room for another client. */
export function isPoolerBusy(code: string | undefined, message: string): boolean {
  return code === '08P01' && /^(query_wait_timeout|no more connections allowed)\b/.test(message);
}
