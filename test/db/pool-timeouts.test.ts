import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSettings } from '../../src-main/config';
import { openFailureText, openStore, type PgStore } from '../../src-main/db/store';
import { createTestStore, THROUGH_POOLER, type TestStoreHandle } from '../support/stores';

describe('the PostgreSQL pool timeouts', () => {
  let handle: TestStoreHandle;
  beforeAll(async () => {
    handle = await createTestStore('postgres');
  });
  afterAll(() => handle.dispose());

  async function shown(env: Record<string, string>): Promise<string[]> {
    const store = (await openStore(loadSettings({ ...handle.env, ...env }))) as PgStore;
    try {
      const lock = await store.pool.query<{ lock_timeout: string }>('SHOW lock_timeout');
      const statement = await store.pool.query<{ statement_timeout: string }>(
        'SHOW statement_timeout',
      );
      return [lock.rows[0]!.lock_timeout, statement.rows[0]!.statement_timeout];
    } finally {
      await store.close();
    }
  }

  // Startup parameters: the test PgBouncer drops them (scripts/start-test-pgbouncer.sh).
  test.skipIf(THROUGH_POOLER)('hold on every pooled connection, from the settings', async () => {
    expect(await shown({})).toEqual(['10s', '1min']);
    expect(
      await shown({ DATABASE_LOCK_TIMEOUT_SECONDS: '3', DATABASE_STATEMENT_TIMEOUT_SECONDS: '7' }),
    ).toEqual(['3s', '7s']);
  });

  test('0 sends nothing: the server (or the role) decides', async () => {
    expect(
      await shown({ DATABASE_LOCK_TIMEOUT_SECONDS: '0', DATABASE_STATEMENT_TIMEOUT_SECONDS: '0' }),
    ).toEqual(['0', '0']);
  });

  test('a pooler that refuses them gets a sentence with the remedy', () => {
    const text = openFailureText(new Error('unsupported startup parameter: lock_timeout'));
    expect(text).toContain('DATABASE_LOCK_TIMEOUT_SECONDS=0');
    expect(text).toContain('ALTER ROLE');
    expect(openFailureText(new Error('password authentication failed'))).toBe(
      'password authentication failed',
    );
  });
});
