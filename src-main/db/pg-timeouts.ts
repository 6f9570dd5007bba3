import type pg from 'pg';

/**
 * The pool's `lock_timeout` and `statement_timeout` (milliseconds; 0 or absent: not set).
 *
 * Direct to PostgreSQL (or behind PgBouncer 1.20+ with them in `track_extra_parameters`) they go
 * as connection startup parameters: free, and they hold for every statement. A transaction-mode
 * pooler that can't pass them on either refuses them (PgBouncer before 1.20) or drops them
 * (`ignore_startup_parameters`), and a session `SET` would stay behind on whichever server
 * connection ran it. So when the server does not show them, every transaction sets them itself
 * with `set_config(..., true)` (SET LOCAL: they end with the transaction, so nothing of ours is
 * left on a server connection the pooler hands to someone else).
 */
export interface PgTimeouts {
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/** How the timeouts reach the server: not at all (none asked), at connection start, per transaction. */
export type TimeoutDelivery = 'none' | 'startup' | 'per-transaction';

const NAMES = { lockTimeoutMs: 'lock_timeout', statementTimeoutMs: 'statement_timeout' } as const;

function wanted(timeouts: PgTimeouts): [string, number][] {
  return Object.entries(NAMES)
    .map(([key, name]): [string, number] => [name, timeouts[key as keyof PgTimeouts] ?? 0])
    .filter(([, ms]) => ms > 0)
    .map(([name, ms]) => [name, Math.round(ms)]);
}

export function hasTimeouts(timeouts: PgTimeouts): boolean {
  return wanted(timeouts).length > 0;
}

/** The startup parameters pg sends for them (none for 0). */
export function startupParameters(timeouts: PgTimeouts): Record<string, number> {
  return Object.fromEntries(wanted(timeouts));
}

/** The one query that sets them for the rest of the current transaction. */
export function setLocalTimeoutsSql(timeouts: PgTimeouts): string {
  // Integers we computed, not input: safe as literals (one simple-protocol round trip with BEGIN).
  const calls = wanted(timeouts).map(([name, ms]) => `set_config('${name}', '${ms}', true)`);
  return `SELECT ${calls.join(', ')}`;
}

/**
 * Whether the connection that ran this already has them: false when a pooler dropped the startup
 * parameters. (Behind a transaction pooler every server connection is set up the same way, so one
 * answer speaks for all of them.)
 */
export async function timeoutsHold(pool: pg.Pool, timeouts: PgTimeouts): Promise<boolean> {
  const { rows } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('lock_timeout', 'statement_timeout')`,
  );
  const shown = new Map(rows.map((r) => [r.name, Number(r.setting)]));
  return wanted(timeouts).every(([name, ms]) => shown.get(name) === ms);
}

/** PgBouncer before 1.20 (and other poolers) refuse parameters they don't know. */
export function refusedTimeoutParameter(error: unknown): boolean {
  return /unsupported startup parameter:\s*(lock_timeout|statement_timeout)/i.test(
    error instanceof Error ? error.message : String(error),
  );
}

/** `BEGIN ...` / `START TRANSACTION ...` as one statement: what opens our transactions. */
const BEGIN = /^\s*(begin|start\s+transaction)\b[^;]*;?\s*$/i;

type QueryConfigLike = { text?: unknown; values?: unknown[] } & Record<string, unknown>;

function withSetLocal(config: unknown, values: unknown, setLocal: string): unknown {
  if (Array.isArray(values) && values.length > 0) return config;
  if (typeof config === 'string') {
    return BEGIN.test(config) ? `${config.replace(/;?\s*$/, '')}; ${setLocal}` : config;
  }
  if (config && typeof config === 'object') {
    const c = config as QueryConfigLike;
    if (typeof c.text === 'string' && BEGIN.test(c.text) && !c.values?.length && !c.name) {
      return { ...c, text: `${c.text.replace(/;?\s*$/, '')}; ${setLocal}` };
    }
  }
  return config;
}

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * Makes `pool` set the timeouts in every transaction: a client's `BEGIN` (drizzle's transactions,
 * the pull's snapshot, any `pool.connect()` user) is sent together with the SET LOCAL in one
 * round trip, and a bare `pool.query` (an autocommit statement) runs in a transaction of its own
 * that does the same (BEGIN + SET LOCAL, the statement, COMMIT: two round trips more).
 */
export function setTimeoutsPerTransaction(pool: pg.Pool, timeouts: PgTimeouts): void {
  const setLocal = setLocalTimeoutsSql(timeouts);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as AnyQuery;
    (client as unknown as { query: AnyQuery }).query = (config, values, ...rest) =>
      query(withSetLocal(config, values, setLocal), values, ...rest);
  });
  const statementInTransaction = async (config: unknown, values: unknown) => {
    const client = await pool.connect();
    let clean = false;
    try {
      await client.query('BEGIN');
      try {
        const result = await (client.query as AnyQuery)(config, values);
        await client.query('COMMIT');
        clean = true;
        return result;
      } catch (error) {
        await client.query('ROLLBACK').then(
          () => (clean = true),
          () => undefined,
        );
        throw error;
      }
    } finally {
      // A client whose connection failed mid-way is destroyed, never given back to the pool.
      client.release(!clean);
    }
  };
  (pool as unknown as { query: AnyQuery }).query = (config, values, callback) => {
    if (typeof values === 'function' || typeof callback === 'function') {
      throw new TypeError('pool.query with a callback is not supported on this pool: use promises');
    }
    return statementInTransaction(config, values);
  };
}
