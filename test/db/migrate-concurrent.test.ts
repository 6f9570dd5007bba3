import pg from 'pg';
import { expect, test } from 'vitest';
import { migratePostgres } from '../../src-main/db/migrate';
import { readMigrationScripts } from '../../src-main/db/sql-dir';
import { createTestStore } from '../support/stores';

const STARTS = 4;
const ROUNDS = 5;

/**
 * Desktops and workers sharing one PostgreSQL start together on a fresh database: each runs the
 * migration runner on its own pool (its own connections). Every one must succeed, and every
 * script must be applied exactly once between them.
 */
test(`${STARTS} first starts at once on a fresh PostgreSQL database, ${ROUNDS} times`, async () => {
  const files = readMigrationScripts('postgres').map((s) => s.file);
  for (let round = 0; round < ROUNDS; round++) {
    const handle = await createTestStore('postgres');
    const pools = Array.from({ length: STARTS }, () => {
      const pool = new pg.Pool({ connectionString: handle.settings.DATABASE_URL, max: 1 });
      pool.on('error', () => {});
      return pool;
    });
    try {
      // Connect every pool first, so that the runners start their work as close together as the
      // machine allows instead of one by one behind connection set-up.
      await Promise.all(pools.map(async (pool) => (await pool.connect()).release()));
      const results = await Promise.allSettled(pools.map((pool) => migratePostgres(pool)));
      const failures = results.flatMap((r) =>
        r.status === 'rejected' ? [String((r.reason as Error).message)] : [],
      );
      expect(failures, `round ${round}`).toEqual([]);
      const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.applied : []));
      expect(applied.sort(), `round ${round}: each script applied by exactly one start`).toEqual(
        files,
      );
      const { rows } = await pools[0]!.query<{ version: string; n: number }>(
        'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(rows).toEqual(files.map((f) => ({ version: f.slice(0, 4), n: 1 })));
    } finally {
      await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
      await handle.dispose();
    }
  }
});
