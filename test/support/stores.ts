import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadSettings, type Settings } from '../../src-main/config';
import { openStore, type Store } from '../../src-main/db/store';

const ALL_STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof ALL_STORE_KINDS)[number];

/**
 * The stores the parametrized suites run on: both, or those TEST_STORES names (`postgres` for
 * the pass through PgBouncer, which has nothing to add to the SQLite runs).
 */
export const STORE_KINDS: readonly StoreKind[] = storeKindsFrom(process.env.TEST_STORES);

export function storeKindsFrom(value: string | undefined): readonly StoreKind[] {
  if (!value?.trim()) return ALL_STORE_KINDS;
  const named = value.split(',').map((kind) => kind.trim());
  const unknown = named.filter((kind) => !(ALL_STORE_KINDS as readonly string[]).includes(kind));
  if (unknown.length) {
    throw new Error(`TEST_STORES: unknown store ${unknown.join(', ')} (sqlite, postgres).`);
  }
  return ALL_STORE_KINDS.filter((kind) => named.includes(kind));
}

/**
 * Set by `npm run test:pgbouncer` (scripts/test-through-pgbouncer.mjs): the stores' DATABASE_URL
 * goes through the transaction-mode PgBouncer at PG_POOLER_URL, while test setup that needs the
 * server itself (CREATE / DROP DATABASE, roles) stays on PG_ADMIN_URL.
 */
export const THROUGH_POOLER = process.env.TEST_THROUGH_POOLER === '1';

/** The test server; tests make their own databases on it and drop them afterwards. */
export const PG_ADMIN_URL =
  process.env.TEST_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** A transaction-mode PgBouncer in front of PG_ADMIN_URL's server (scripts/start-test-pgbouncer.sh). */
export const PG_POOLER_URL =
  process.env.TEST_PGBOUNCER_URL || 'postgres://postgres@127.0.0.1:6432/postgres';

/** What the app (and a test acting as a colleague's app) uses for a test database. */
export function testDatabaseUrl(database: string): string {
  const url = new URL(THROUGH_POOLER ? PG_POOLER_URL : PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestStoreHandle {
  kind: StoreKind;
  /** Settings pointing at this store (and a temp data folder for keys). */
  settings: Settings;
  /** Extra environment for child processes (serve, workers). */
  env: Record<string, string>;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

/**
 * Runs `work` on a connection of its own to the test server itself (PG_ADMIN_URL, never the
 * pooler): for what a store's own connections cannot do, such as CREATE / DROP DATABASE and roles.
 */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A throwaway PostgreSQL database on the test server (createTestDatabase). */
export interface TestDatabase {
  name: string;
  /** What the app uses (testDatabaseUrl: through the pooler on the pooler pass). */
  url: string;
  /** The server itself, never the pooler: for probes, benches and session state. */
  directUrl: string;
  /** DROP DATABASE ... WITH (FORCE): connections still open are ended. */
  drop(): Promise<void>;
}

/** Creates an empty database named `<prefix>_<random hex>` (CREATE / DROP go to the server itself). */
export async function createTestDatabase(prefix = 'se_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const direct = new URL(PG_ADMIN_URL);
  direct.pathname = `/${name}`;
  return {
    name,
    url: testDatabaseUrl(name),
    directUrl: direct.toString(),
    drop: async () => {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A fresh, empty store of the given kind: a throwaway PostgreSQL database or a temp SQLite file. */
export async function createTestStore(
  kind: StoreKind,
  extraEnv: Record<string, string> = {},
): Promise<TestStoreHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'staging-editor-test-'));
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    env = { DATABASE_URL: database.url };
    dropDatabase = database.drop;
  } else {
    env = { SQLITE_PATH: join(dataDir, 'staging.sqlite') };
  }
  env = { ...env, STAGING_EDITOR_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...extraEnv };
  const settings = loadSettings(env);
  const opened: Store[] = [];
  return {
    kind,
    settings,
    env,
    async open() {
      const store = await openStore(settings);
      opened.push(store);
      return store;
    },
    async dispose() {
      for (const store of opened.splice(0)) await store.close().catch(() => {});
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
