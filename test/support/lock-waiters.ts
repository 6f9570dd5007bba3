import type pg from 'pg';

/**
 * Resolves once `count` sessions of this database wait for a lock (other than the session that
 * asks): a test waits for the event instead of sleeping and hoping. Fails after 30 s.
 */
export async function waitForLockWaiters(pool: pg.Pool, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
    );
    if (rows[0]!.n >= count) return;
    if (Date.now() > deadline) throw new Error(`no ${count} lock waiters after 30 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
