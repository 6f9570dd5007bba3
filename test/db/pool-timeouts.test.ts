import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSettings } from '../../src-main/config';
import { refusedTimeoutParameter } from '../../src-main/db/pg-timeouts';
import { openStore, type PgStore } from '../../src-main/db/store';
import { createTestStore, THROUGH_POOLER, type TestStoreHandle } from '../support/stores';

/**
 * Direct, the timeouts go as startup parameters. Through the test PgBouncer (1.18, which drops
 * them: scripts/start-test-pgbouncer.sh) they must still hold, set in every transaction, and
 * nothing of them may stay behind on the server connections the pooler hands to others.
 */
describe('the PostgreSQL pool timeouts', () => {
  let handle: TestStoreHandle;
  beforeAll(async () => {
    handle = await createTestStore('postgres');
  });
  afterAll(() => handle.dispose());

  const SHOW = `SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement`;
  type Shown = { lock: string; statement: string };
  const pair = (rows: Shown[]) => [rows[0]!.lock, rows[0]!.statement];

  async function withStore<T>(env: Record<string, string>, work: (s: PgStore) => Promise<T>) {
    const store = (await openStore(loadSettings({ ...handle.env, ...env }))) as PgStore;
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  /** What a bare statement, a drizzle transaction and a hand-made BEGIN on a pooled client see. */
  const shown = (env: Record<string, string>) =>
    withStore(env, async (store) => {
      const bare = pair((await store.pool.query<Shown>(SHOW)).rows);
      const inDrizzle = await store.db.transaction(async (tx) =>
        pair((await tx.execute<Shown>(sql.raw(SHOW))).rows),
      );
      const client = await store.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const byHand = pair((await client.query<Shown>(SHOW)).rows);
        await client.query('COMMIT');
        return { delivery: store.timeoutDelivery, bare, inDrizzle, byHand };
      } finally {
        client.release();
      }
    });

  test('hold on every statement and in every transaction, from the settings', async () => {
    const delivery = THROUGH_POOLER ? 'per-transaction' : 'startup';
    expect(await shown({})).toEqual({
      delivery,
      bare: ['10s', '1min'],
      inDrizzle: ['10s', '1min'],
      byHand: ['10s', '1min'],
    });
    expect(
      await shown({ DATABASE_LOCK_TIMEOUT_SECONDS: '3', DATABASE_STATEMENT_TIMEOUT_SECONDS: '7' }),
    ).toEqual({ delivery, bare: ['3s', '7s'], inDrizzle: ['3s', '7s'], byHand: ['3s', '7s'] });
  });

  test('0 sends nothing: the server (or the role) decides', async () => {
    expect(
      await shown({ DATABASE_LOCK_TIMEOUT_SECONDS: '0', DATABASE_STATEMENT_TIMEOUT_SECONDS: '0' }),
    ).toEqual({ delivery: 'none', bare: ['0', '0'], inDrizzle: ['0', '0'], byHand: ['0', '0'] });
  });

  test('nothing stays on the server connections: a plain connection afterwards has none', async () => {
    // Through the pooler, the plain client gets one of the server connections the store's
    // transactions ran on (a session SET there would show here).
    await withStore({ DATABASE_POOL_SIZE: '4' }, async (store) => {
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.db.transaction((tx) => tx.execute(sql`SELECT pg_sleep(0.05)`)),
        ),
      );
      await Promise.all(Array.from({ length: 8 }, () => store.pool.query('SELECT 1')));
    });
    const plain = new pg.Pool({ connectionString: handle.settings.DATABASE_URL, max: 4 });
    try {
      const seen = await Promise.all(
        Array.from({ length: 8 }, async () => pair((await plain.query<Shown>(SHOW)).rows)),
      );
      expect(new Set(seen.map((s) => s.join()))).toEqual(new Set(['0,0']));
    } finally {
      await plain.end();
    }
  });

  test('a pooler that refuses them as startup parameters is recognised', () => {
    expect(refusedTimeoutParameter(new Error('unsupported startup parameter: lock_timeout'))).toBe(
      true,
    );
    expect(refusedTimeoutParameter(new Error('password authentication failed'))).toBe(false);
  });
});
