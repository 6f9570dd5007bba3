import pg from 'pg';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { defaultPoolSize, loadSettings } from '../../src-main/config';
import type { PgStore, Store } from '../../src-main/db/store';
import { STORE_RETRY_AFTER_SECONDS } from '../../src-main/router/dispatcher';
import { execRaw, readPlaces } from '../support/places';
import {
  createTestStore,
  THROUGH_POOLER,
  withAdmin,
  type TestStoreHandle,
} from '../support/stores';
import { dispatcherTransport, httpTransport, type Transport } from '../support/transports';

const IDS = ['b-1', 'b-2'];

/** The busy answer: 503 `unavailable` with the retry hint in the body (and over HTTP the header). */
async function expectBusy(transport: Transport, call: () => ReturnType<Transport['call']>) {
  const reply = await call();
  expect(reply.status, JSON.stringify(reply.body)).toBe(503);
  const body = reply.body as ErrorBody;
  expect(body).toMatchObject({
    status: 'error',
    type: 'unavailable',
    retry_after_seconds: STORE_RETRY_AFTER_SECONDS,
  });
  expect(body.detail).toMatch(/busy.*nothing was changed.*Try again in \d+ seconds/);
  return reply;
}

describe('PostgreSQL pool size and timeouts', () => {
  let handle: TestStoreHandle;
  let store: Store;
  const backends: Backend[] = [];
  const transports: Transport[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  /** Run after the store is dropped (roles outlive databases). */
  const lastly: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    handle = await createTestStore('postgres');
    store = await handle.open();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    for (const t of transports.splice(0)) await t.close();
    for (const b of backends.splice(0)) await b.close();
    await handle.dispose();
    for (const cleanup of lastly.splice(0)) await cleanup();
  });

  async function serve(env: Record<string, string>) {
    const backend = await startBackend(loadSettings({ ...handle.env, ...env }), {
      scheduler: false,
    });
    backends.push(backend);
    await backend.places.insertPlaces(IDS.map((id) => ({ place_id: id, name: `Busy ${id}` })));
    const both = [dispatcherTransport(backend), await httpTransport(backend)];
    transports.push(...both);
    return { backend, pool: (backend.store as PgStore).pool, transports: both };
  }

  const token = (backend: Backend) => backend.issueLocalToken('reviewer-1', 600);

  test("the pool is sized from the machine's cores, or from DATABASE_POOL_SIZE", async () => {
    const derived = await serve({ DEEP_SCAN_MAX_CONCURRENCY: '30' });
    expect(derived.pool.options.max).toBe(defaultPoolSize());
    const explicit = await serve({ DATABASE_POOL_SIZE: '7' });
    expect(explicit.pool.options.max).toBe(7);
  });

  test('a row lock held past DATABASE_LOCK_TIMEOUT_SECONDS: 503 with Retry-After, nothing changed', async () => {
    const { backend, transports: both } = await serve({ DATABASE_LOCK_TIMEOUT_SECONDS: '1' });
    const holder = new pg.Client({ connectionString: handle.settings.DATABASE_URL });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM places_staging WHERE place_id = 'b-1' FOR UPDATE`);
    const before = await readPlaces(store);
    for (const transport of both) {
      const reply = await expectBusy(transport, async () =>
        transport.call(
          'updateStatus',
          { place_ids: IDS, status: 'Archived' },
          await token(backend),
        ),
      );
      if (transport.name === 'http') {
        const res = await fetch(
          `${(transport as Transport & { baseUrl: string }).baseUrl}/api/v3/places/staging/status`,
          {
            method: 'PUT',
            headers: {
              authorization: `Bearer ${await token(backend)}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ place_ids: IDS, status: 'Archived' }),
          },
        );
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe(String(STORE_RETRY_AFTER_SECONDS));
        expect(await res.json()).toEqual(reply.body);
      }
    }
    await holder.query('ROLLBACK');
    expect(await readPlaces(store)).toEqual(before);
  }, 30_000);

  test('a statement running past DATABASE_STATEMENT_TIMEOUT_SECONDS: 503, nothing changed', async () => {
    const { backend, transports: both } = await serve({ DATABASE_STATEMENT_TIMEOUT_SECONDS: '1' });
    // A slow update, as on a very large table: each row takes 30 s.
    await execRaw(
      store,
      `CREATE FUNCTION slow_update() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$;
       CREATE TRIGGER slow_update BEFORE UPDATE ON places_staging
         FOR EACH ROW EXECUTE FUNCTION slow_update();`,
    );
    const before = await readPlaces(store);
    for (const transport of both) {
      await expectBusy(transport, async () =>
        transport.call('updateStatus', { filter: {}, status: 'Maybe' }, await token(backend)),
      );
    }
    expect(await readPlaces(store)).toEqual(before);
  }, 30_000);

  test('every pooled connection taken past DATABASE_CONNECT_TIMEOUT_SECONDS: 503', async () => {
    const {
      backend,
      pool,
      transports: both,
    } = await serve({
      DATABASE_POOL_SIZE: '1',
      DATABASE_CONNECT_TIMEOUT_SECONDS: '1',
    });
    const taken = await pool.connect();
    cleanups.push(async () => taken.release());
    const before = await readPlaces(store);
    for (const transport of both) {
      await expectBusy(transport, async () =>
        transport.call('listPlaces', {}, await token(backend)),
      );
      await expectBusy(transport, async () =>
        transport.call('updateStatus', { place_ids: IDS, status: 'Maybe' }, await token(backend)),
      );
    }
    expect(await readPlaces(store)).toEqual(before);
  }, 30_000);

  // Through a pooler the role's connection limit meets PgBouncer, not the app: the pooler queues
  // clients instead (its busy answer, query_wait_timeout, is a 503 too: see pooler-errors.ts).
  test.skipIf(THROUGH_POOLER)(
    'too many connections (53300) for the database user: 503',
    async () => {
      // A non-superuser owning the database (superusers ignore connection limits).
      const role = `se_limited_${Math.random().toString(16).slice(2, 10)}`;
      const database = new URL(handle.settings.DATABASE_URL!).pathname.slice(1);
      await withAdmin(async (c) => {
        await c.query(`CREATE ROLE ${role} LOGIN`);
        await c.query(`ALTER DATABASE ${database} OWNER TO ${role}`);
      });
      // The tables exist already (created as the admin user): let the role use them.
      await execRaw(
        store,
        `GRANT ALL ON SCHEMA public TO ${role};
       GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role};
       GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role};`,
      );
      lastly.push(() => withAdmin((c) => c.query(`DROP ROLE IF EXISTS ${role}`)));
      const url = new URL(handle.settings.DATABASE_URL!);
      url.username = role;
      const { backend, pool, transports: both } = await serve({ DATABASE_URL: url.toString() });
      // One connection for this user from now on: the pool's idle one, which we take.
      await withAdmin(async (c) => {
        await c.query(`ALTER ROLE ${role} CONNECTION LIMIT 1`);
        // Wait until the migration's own connection has gone (it ends before the pool opens).
        for (;;) {
          const { rows } = await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1`,
            [role],
          );
          if (rows[0]!.n <= 1) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
      const taken = await pool.connect();
      cleanups.push(async () => taken.release());
      for (const transport of both) {
        await expectBusy(transport, async () =>
          transport.call('listPlaces', {}, await token(backend)),
        );
      }
    },
    30_000,
  );
});
