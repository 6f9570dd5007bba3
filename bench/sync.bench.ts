/**
 * `npm run bench:sync`: offline sync against the bare drivers doing the same work, in one run.
 * Prints a Markdown table; each row a measurement and its ratio to a raw baseline measured in the
 * same run. Not a timed test.
 *   npm run bench:sync -- --decisions 10000 --batch 1000 --delay 50 --pull-rows 100000 \
 *     --offline-places 100000 --offline-decisions 200 [--only push,pull,offline]
 * Issue 8's numbers: 10,000 decisions pushed in under 30 s over a 100 ms round trip; a first pull
 * of 1,000,000 places (`--pull-rows 1000000`) within 2x of the bare drivers; an offline decision
 * visible in the grid within 50 ms at 100,000 places.
 *
 * 1. push: N decisions on N places over the loopback TCP proxy (test/support/tcp-proxy.ts) with
 *    `--delay` ms each way, against the floor: the same status changes as one raw UPDATE per batch
 *    through the same proxy (no ledger, no lock, no step 6, no answers).
 * 2. first pull: bench/sync-pull.ts.
 * 3. offline decision visible: on a SQLite replica with the outbox on, updateStatus of one place
 *    then the grid's default query (listPlacesInput defaults: first page, with the total) showing
 *    it, p50 and p95, against a raw better-sqlite3 UPDATE + SELECT of the same row.
 */
import { randomUUID } from 'node:crypto';
import { replicaPlaces } from '../src-main/sync/team';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { listPlacesInput } from '../src-shared/contract/places';
import type { SyncMutation } from '../src-shared/contract/sync';
import { PLACE_STATUSES, type PlaceStatus } from '../src-shared/domain';
import { openPostgres, type PgStore, type SqliteStore } from '../src-main/db/store';
import { samplePlaces } from '../src-main/places/sample-data';
import { createPlacesService, placesRepositoryFor } from '../src-main/places/service';
import { seededRandom } from '../src-shared/random';
import { pullChanges } from '../src-main/sync/pull';
import { PUSH_BATCH_SIZE, pushOutbox } from '../src-main/sync/push';
import { createTestStore, PG_ADMIN_URL, type TestStoreHandle } from '../test/support/stores';
import { startTcpProxy, type TcpProxy } from '../test/support/tcp-proxy';
import { argValue, printTable, refuseUnknownOptions, type Row } from './support';
import { measureFirstPull } from './sync-pull';
import { percentile } from './stats';

refuseUnknownOptions([
  ...['decisions', 'batch', 'delay', 'pull-rows', 'pull-runs', 'page'],
  ...['offline-places', 'offline-decisions', 'only'],
]);
const DECISIONS = Number(argValue('decisions', '10000'));
const BATCH = Number(argValue('batch', String(PUSH_BATCH_SIZE)));
const DELAY_MS = Number(argValue('delay', '50'));
const PULL_ROWS = Number(argValue('pull-rows', '100000'));
const PULL_RUNS = Number(argValue('pull-runs', '3'));
const PAGE = Number(argValue('page', '5000'));
const OFFLINE_PLACES = Number(argValue('offline-places', '100000'));
const OFFLINE_DECISIONS = Number(argValue('offline-decisions', '200'));
const ONLY = argValue('only', 'push,pull,offline').split(',');
const SEED = 8;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A fresh PostgreSQL database with `count` sample places in mixed scan states. */
async function seededServer(count: number): Promise<{ handle: TestStoreHandle; store: PgStore }> {
  const handle = await createTestStore('postgres');
  const store = (await handle.open()) as PgStore;
  const places = createPlacesService(placesRepositoryFor(store));
  for (const chunk of samplePlaces(count, SEED, 10_000)) await places.insertPlaces(chunk);
  await store.pool.query(
    `UPDATE places_staging SET
       deep_scan_status = (ARRAY[NULL,'Queued','Processing','Completed','Error'])[1 + id % 5]`,
  );
  await store.pool.query('VACUUM ANALYZE places_staging');
  return { handle, store };
}

/** One decision per place, each to another status than the place's, on its current revision. */
async function decisionsFor(store: PgStore): Promise<SyncMutation[]> {
  const { rows } = await store.pool.query<{
    place_id: string;
    status: PlaceStatus;
    status_revision: number;
  }>('SELECT place_id, status, status_revision FROM places_staging ORDER BY place_id');
  const r = seededRandom(SEED);
  const order = rows.map((row) => ({ row, key: r() })).sort((a, b) => a.key - b.key);
  return order.map(({ row }) => {
    const others = PLACE_STATUSES.filter((s) => s !== row.status);
    return {
      mutation_id: randomUUID(),
      place_id: row.place_id,
      target_status: others[Math.floor(r() * others.length)]!,
      base_revision: row.status_revision,
      user_id: 'offline-ann',
      client_time: new Date().toISOString(),
    };
  });
}

/**
 * The offline decisions as a reviewer leaves them: a replica pulled from the server (directly,
 * before the clock starts), then the decisions made on it through the outbox.
 */
async function replicaWith(
  server: PgStore,
  decisions: SyncMutation[],
): Promise<{ handle: TestStoreHandle; replica: SqliteStore }> {
  const handle = await createTestStore('sqlite');
  const replica = (await handle.open()) as SqliteStore;
  await pullChanges(server, replica);
  const offline = replicaPlaces(replica);
  // One at a time in the seeded order, as a reviewer working through a list makes them: every
  // batch then holds all five target statuses (the most round trips a batch can cost).
  for (const m of decisions) {
    await offline.updateStatus({ place_ids: [m.place_id], status: m.target_status }, 'offline-ann');
  }
  return { handle, replica };
}

/** The push client itself (src-main/sync/push.ts): outbox reads, the server, the receipts. */
async function push(server: PgStore, replica: SqliteStore): Promise<number> {
  const result = await pushOutbox(server, replica, { batchSize: BATCH });
  if (result.stopped) throw new Error(`push stopped: ${result.stopped.error}`);
  return result.applied;
}

/** The floor: the same status changes, one raw UPDATE statement per batch, no transaction. */
async function rawPush(pool: pg.Pool, decisions: SyncMutation[]): Promise<number> {
  let updated = 0;
  for (let i = 0; i < decisions.length; i += BATCH) {
    const batch = decisions.slice(i, i + BATCH);
    const result = await pool.query(
      `UPDATE places_staging AS p SET status = x.status, updated_by = 'offline-ann', updated_at = now()
       FROM unnest($1::text[], $2::text[]) AS x(place_id, status) WHERE p.place_id = x.place_id`,
      [batch.map((m) => m.place_id), batch.map((m) => m.target_status)],
    );
    updated += result.rowCount ?? 0;
  }
  return updated;
}

async function benchPush(): Promise<Row> {
  const target = new URL(PG_ADMIN_URL);
  const proxy: TcpProxy = await startTcpProxy({
    targetHost: target.hostname,
    targetPort: Number(target.port || 5432),
  });
  const subject = await seededServer(DECISIONS);
  const floor = await seededServer(DECISIONS);
  let slowServer: PgStore | undefined;
  let local: { handle: TestStoreHandle; replica: SqliteStore } | undefined;
  let slowPool: pg.Pool | undefined;
  try {
    const decisions = await decisionsFor(subject.store);
    local = await replicaWith(subject.store, decisions);
    slowServer = await openPostgres(proxy.url(subject.handle.settings.DATABASE_URL!), {
      migrate: false,
      poolSize: 2,
    });
    slowPool = new pg.Pool({ connectionString: proxy.url(floor.handle.settings.DATABASE_URL!) });
    // Connected before the clock starts (both sides alike): the measure is the sending.
    proxy.setDelay(DELAY_MS);
    await slowServer.pool.query('SELECT 1');
    await slowPool.query('SELECT 1');

    let start = performance.now();
    const applied = await push(slowServer, local.replica);
    const pushMs = performance.now() - start;
    if (applied !== decisions.length) throw new Error(`applied ${applied} of ${decisions.length}`);
    log(`push: ${decisions.length} decisions in ${seconds(pushMs)}`);

    start = performance.now();
    const updated = await rawPush(slowPool, decisions);
    const rawMs = performance.now() - start;
    if (updated !== decisions.length) throw new Error(`raw updated ${updated}`);
    log(`raw floor: ${updated} updates in ${seconds(rawMs)}`);
    return {
      store: 'postgres',
      measure: `push of ${DECISIONS.toLocaleString('en-US')} decisions (batches of ${BATCH}) over ${2 * DELAY_MS} ms RTT, pushOutbox (outbox to receipts) vs one raw UPDATE per batch`,
      subject: pushMs,
      baseline: rawMs,
      target: 0,
      limitMs: 30_000,
    };
  } finally {
    await slowServer?.close();
    await slowPool?.end();
    await proxy.close();
    await local?.handle.dispose();
    await subject.handle.dispose();
    await floor.handle.dispose();
  }
}

async function benchOffline(): Promise<Row[]> {
  const handle = await createTestStore('sqlite');
  try {
    const store = (await handle.open()) as SqliteStore;
    const seeding = createPlacesService(placesRepositoryFor(store));
    for (const chunk of samplePlaces(OFFLINE_PLACES, SEED, 10_000))
      await seeding.insertPlaces(chunk);
    store.sqlite.exec('ANALYZE');
    const places = replicaPlaces(store);
    // The grid's first request: the defaults of the list input (first page, default sort, total).
    const gridQuery = listPlacesInput.parse({});
    const visible = (await places.list(gridQuery)).items.map((x) => x.place_id);
    const raw = store.sqlite;
    const rawUpdate = raw.prepare(
      'UPDATE places_staging SET status = ?, updated_at = ?, updated_by = ? WHERE place_id = ?',
    );
    const rawRead = raw.prepare(
      `SELECT place_id, name, formatted_address, business_type, search_location, latitude,
         longitude, rating, user_ratings_total, price_level, status, deep_scan_status,
         deep_scan_error, updated_at, updated_by FROM places_staging WHERE place_id = ?`,
    );
    const statusOf = new Map<string, PlaceStatus>(
      (await places.list(gridQuery)).items.map((x) => [x.place_id, x.status as PlaceStatus]),
    );
    const next = (id: string) => {
      const s = PLACE_STATUSES[(PLACE_STATUSES.indexOf(statusOf.get(id)!) + 1) % 5]!;
      statusOf.set(id, s);
      return s;
    };
    const subject: number[] = [];
    const baseline: number[] = [];
    // Alternately, a decision through the service and one by hand, each on a place of the page.
    for (let i = -5; i < OFFLINE_DECISIONS; i++) {
      const id = visible[(i + visible.length) % visible.length]!;
      let status = next(id);
      let start = performance.now();
      await places.updateStatus({ place_ids: [id], status }, 'offline-ann');
      const page = await places.list(gridQuery);
      const shown = page.items.find((x) => x.place_id === id);
      const serviceMs = performance.now() - start;
      if (shown?.status !== status) throw new Error(`${id} not shown as ${status}`);
      status = next(id);
      start = performance.now();
      rawUpdate.run(status, Date.now(), 'offline-ann', id);
      const row = rawRead.get(id) as { status: string };
      const rawMs = performance.now() - start;
      if (row.status !== status) throw new Error('raw read back differs');
      if (i >= 0) {
        subject.push(serviceMs);
        baseline.push(rawMs);
      }
    }
    const pending = raw.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number };
    log(`offline: ${subject.length} decisions, ${pending.n} outbox entries`);
    const measure = (p: number) =>
      `offline decision visible in the grid at ${OFFLINE_PLACES.toLocaleString('en-US')} places, p${p} of ${OFFLINE_DECISIONS} (updateStatus + list vs raw UPDATE + SELECT)`;
    return [50, 95].map((p) => ({
      store: 'sqlite replica + outbox',
      measure: measure(p),
      subject: percentile(subject, p),
      baseline: percentile(baseline, p),
      target: 0,
      limitMs: 50,
    }));
  } finally {
    await handle.dispose();
  }
}

const rows: Row[] = [];
if (ONLY.includes('push')) rows.push(await benchPush());
if (ONLY.includes('pull'))
  rows.push(await measureFirstPull({ rows: PULL_ROWS, runs: PULL_RUNS, page: PAGE }));
if (ONLY.includes('offline')) rows.push(...(await benchOffline()));
printTable(rows, 'sync');
