/**
 * `npm run bench -- --pgbouncer-10m [--rows N] [--runs 20] [--update-runs N]`: a team's shared
 * store at scale, PostgreSQL behind the transaction-mode PgBouncer (TEST_PGBOUNCER_URL, default
 * 127.0.0.1:6432; started with scripts/start-test-pgbouncer.sh when nothing answers there),
 * 10,000,000 places by default, beside the same app direct to PostgreSQL (the sides take turns).
 * p50 / p95 over `runs` timed runs (after one warm-up) of what the app does: the grid's first
 * page (listPlaces: no filter, name sort, with and without the total), a deep page (offset
 * ~4,000,000), a 10,000-place status update and a deep scan claim of 20.
 *
 * The places are made by PostgreSQL itself (INSERT ... SELECT FROM generate_series, in chunks,
 * the grid's indexes built afterwards), from a template of the app's own sample places, into a
 * database named after the row count that is kept: a later run that finds it complete reuses
 * it, and says so. Drop it with `DROP DATABASE se_bench_team_<rows>` when done.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startBackend, type Backend } from '../src-main/backend';
import { loadSettings } from '../src-main/config';
import { openPostgres, type PgStore } from '../src-main/db/store';
import { samplePlaces } from '../src-main/places/sample-data';
import { createPgScanQueue } from '../src-main/scan/pg-queue';
import type { ScanQueue } from '../src-main/scan/queue';
import type { PlaceStatus } from '../src-shared/domain';
import { PG_ADMIN_URL, PG_POOLER_URL } from '../test/support/stores';
import { argValue, loadAverage, randomIndexes, sharedBuffers } from './support';

const SEED = 11;
/** Template places (the app's sample generator), repeated with their own ids over the rows. */
const TEMPLATE = 10_000;
const CHUNK = 500_000;
/** One place in this many is Selected and queued for a deep scan: the claim's backlog. */
const QUEUED_EVERY = 100;
const QUEUED_AT = 7;
const CLAIMER = 'bench-team-scale';

const placeId = (i: number) => `ChIJbench${String(i).padStart(14, '0')}`;

/**
 * 10,000 random places outside the scan backlog (an update to another status would dequeue
 * them, and a kept database would run out of places to claim).
 */
function updateSet(rows: number, seed: number): string[] {
  const picked = randomIndexes(10_300, rows, seed).filter((i) => i % QUEUED_EVERY !== QUEUED_AT);
  if (picked.length < 10_000) throw new Error('too few places outside the backlog');
  return picked.slice(0, 10_000).map(placeId);
}

function urlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function ensurePgBouncer(): Promise<void> {
  const reach = () =>
    withClient(PG_POOLER_URL, (c) => c.query('SELECT 1')).then(
      () => null,
      (error: Error) => error.message,
    );
  let problem = await reach();
  if (problem && !process.env.TEST_PGBOUNCER_URL) {
    log('No PgBouncer answers: starting one (scripts/start-test-pgbouncer.sh).');
    const started = spawnSync(
      'bash',
      [join(import.meta.dirname, '../scripts/start-test-pgbouncer.sh')],
      {
        stdio: 'inherit',
      },
    );
    if (started.status === 0) problem = await reach();
  }
  if (problem) throw new Error(`No PgBouncer at ${PG_POOLER_URL}: ${problem}`);
}

/** The places' secondary indexes (not those behind a constraint), to build after the insert. */
async function secondaryIndexes(c: pg.Client): Promise<{ name: string; def: string }[]> {
  const { rows } = await c.query<{ name: string; def: string }>(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i
    WHERE i.indrelid IN ('places_staging'::regclass, 'places_search'::regclass)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`);
  return rows;
}

/** The template's columns (the app's sample places) and their types. */
const COLUMNS = {
  name: 'text',
  formatted_address: 'text',
  business_type: 'text',
  latitude: 'double precision',
  longitude: 'double precision',
  vicinity: 'text',
  rating: 'double precision',
  user_ratings_total: 'integer',
  price_level: 'integer',
  search_query: 'text',
  search_location: 'text',
  status: 'text',
} as const;
const NAMES = Object.keys(COLUMNS);
const TYPED = Object.entries(COLUMNS)
  .map(([name, type]) => `${name} ${type}`)
  .join(', ');

/**
 * Seeds `rows` places with PostgreSQL-side generation on a direct connection (bench setup, not
 * the app): template rows in a temporary table, then INSERT ... SELECT over generate_series in
 * chunks of CHUNK (each its own transaction; the app's triggers keep search_text, the change
 * feed and the counts as for any insert), then the secondary indexes and VACUUM ANALYZE.
 */
async function seed(url: string, rows: number): Promise<void> {
  await withClient(url, async (c) => {
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
    await c.query(`SET maintenance_work_mem = '1GB'`);
    await c.query(`CREATE TEMP TABLE template (k int PRIMARY KEY, ${TYPED})`);
    const [template] = samplePlaces(TEMPLATE, SEED, TEMPLATE);
    await c.query(
      `INSERT INTO template SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(k int, ${TYPED})`,
      [JSON.stringify(template!.map((place, k) => ({ k, ...place })))],
    );
    const indexes = await secondaryIndexes(c);
    for (const index of indexes) await c.query(`DROP INDEX ${index.name}`);
    for (let from = 0; from < rows; from += CHUNK) {
      const to = Math.min(rows, from + CHUNK) - 1;
      // Every QUEUED_EVERY-th place is Selected and queued (due in the past), the rest as the
      // template has them.
      const queued = `g % ${QUEUED_EVERY} = ${QUEUED_AT}`;
      await c.query(
        `INSERT INTO places_staging (place_id, ${NAMES.join(', ')},
           deep_scan_status, deep_scan_queued_at, deep_scan_next_attempt_at)
         SELECT 'ChIJbench' || lpad(g::text, 14, '0'),
           ${NAMES.filter((n) => n !== 'status')
             .map((n) => `t.${n}`)
             .join(', ')},
           CASE WHEN ${queued} THEN 'Selected' ELSE t.status END,
           CASE WHEN ${queued} THEN 'Queued' END,
           CASE WHEN ${queued} THEN now() - (g % 100000) * interval '1 second' END,
           CASE WHEN ${queued} THEN now() - (g % 100000) * interval '1 second' END
         FROM generate_series($1::int, $2::int) AS g
         JOIN template t ON t.k = g % ${TEMPLATE}`,
        [from, to],
      );
      log(`  seeded ${(to + 1).toLocaleString('en')} places (${seconds()} s)`);
    }
    for (const index of indexes) {
      await c.query(index.def);
      log(`  built ${index.name} (${seconds()} s)`);
    }
    await c.query('VACUUM ANALYZE places_staging');
    await c.query('VACUUM ANALYZE places_search');
    await c.query('VACUUM ANALYZE sync_changes');
    await c.query(
      `CREATE TABLE IF NOT EXISTS bench_seeded (rows bigint NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())`,
    );
    await c.query('INSERT INTO bench_seeded (rows) VALUES ($1)', [rows]);
    log(`  seeded and indexed in ${seconds()} s`);
  });
}

/** The kept database when it is complete, else a fresh one seeded now. */
async function prepareDatabase(rows: number): Promise<string> {
  const name = `se_bench_team_${rows}`;
  const direct = urlFor(PG_ADMIN_URL, name);
  const exists = await withClient(
    PG_ADMIN_URL,
    async (c) =>
      (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
  if (exists) {
    // Migrate it (new sql/ scripts since it was seeded), then check it.
    const store = await openPostgres(direct, { poolSize: 1 });
    await store.close();
    const found = await withClient(direct, async (c) => {
      const marker = await c
        .query<{ rows: string; seeded_at: Date }>(
          `SELECT rows, seeded_at FROM bench_seeded ORDER BY seeded_at DESC LIMIT 1`,
        )
        .catch(() => null);
      const counted = await c.query<{ n: string }>('SELECT count(*) AS n FROM places_staging');
      return { marker: marker?.rows[0], count: Number(counted.rows[0]!.n) };
    });
    if (found.marker && Number(found.marker.rows) === rows && found.count === rows) {
      log(
        `Reusing database ${name}: it has ${rows.toLocaleString('en')} places (seeded ${found.marker.seeded_at.toISOString()}); not seeded again.`,
      );
      // Earlier runs' updates left dead rows and pages not all-visible (index-only scans then
      // read the heap): settle it as autovacuum would have on a store left alone for a while.
      await withClient(direct, (c) => c.query('VACUUM ANALYZE places_staging'));
      return name;
    }
    log(
      `Database ${name} has ${found.count.toLocaleString('en')} places, not ${rows.toLocaleString('en')}: seeding it again.`,
    );
    await withClient(PG_ADMIN_URL, (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
  }
  await withClient(PG_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const store = await openPostgres(direct, { poolSize: 1 });
  await store.close();
  log(
    `Seeding ${rows.toLocaleString('en')} places into ${name} (PostgreSQL-side, kept for later runs)...`,
  );
  await seed(direct, rows);
  return name;
}

/** One side of a measure: the app through PgBouncer, or the same app direct. */
interface Side {
  name: 'pooler' | 'direct';
  backend: Backend;
  queue: ScanQueue;
}

/** A timed call; what it returns (if anything) is run afterwards, untimed (clean-up). */
type Subject = (side: Side, i: number) => Promise<unknown>;

interface Measured {
  measure: string;
  pooler: { p50: number; p95: number };
  direct: { p50: number; p95: number };
  target?: number;
}

/**
 * p50 and p95 over `runs` calls per side after a warm-up of each, the sides taking turns (as
 * compareMs does), so a noisy stretch on a shared machine slows both alike.
 */
async function measure(
  sides: [Side, Side],
  name: string,
  runs: number,
  subject: Subject,
  target?: number,
): Promise<Measured> {
  const run = async (side: Side, i: number) => {
    const start = performance.now();
    const after = await subject(side, i);
    const ms = performance.now() - start;
    if (typeof after === 'function') await (after as () => Promise<unknown>)();
    return ms;
  };
  for (const side of sides) await run(side, -1);
  const times = { pooler: [] as number[], direct: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const side of sides) times[side.name].push(await run(side, i));
  }
  const stats = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    const rank = (p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
    return { p50: rank(0.5), p95: rank(0.95) };
  };
  const result = {
    measure: name,
    pooler: stats(times.pooler),
    direct: stats(times.direct),
    target,
  };
  log(
    `  ${name}: through PgBouncer p50 ${result.pooler.p50.toFixed(1)} / p95 ${result.pooler.p95.toFixed(1)} ms; direct p50 ${result.direct.p50.toFixed(1)} / p95 ${result.direct.p95.toFixed(1)} ms`,
  );
  return result;
}

const STATUS_CYCLE: PlaceStatus[] = ['Maybe', 'Not a Fit', 'Archived', 'New'];

export async function benchTeamScale(): Promise<void> {
  const rows = Number(argValue('rows', '10000000'));
  const runs = Number(argValue('runs', '20'));
  // The update of 10,000 places takes seconds a run at 10M: `--update-runs 5` for a quicker look.
  const updateRuns = Number(argValue('update-runs', String(runs)));
  await ensurePgBouncer();
  const database = await prepareDatabase(rows);
  const dataDir = mkdtempSync(join(tmpdir(), 'staging-editor-bench-'));
  const open = async (name: Side['name']): Promise<Side> => {
    const backend = await startBackend(
      loadSettings({
        DATABASE_URL: urlFor(name === 'pooler' ? PG_POOLER_URL : PG_ADMIN_URL, database),
        STAGING_EDITOR_DATA_DIR: dataDir,
        JWT_SECRET: 'benchmark-secret-that-is-long-enough-123456',
        LOG_LEVEL: 'warn',
      }),
      { scheduler: false },
    );
    return { name, backend, queue: createPgScanQueue(backend.store as PgStore) };
  };
  const sides: [Side, Side] = [await open('pooler'), await open('direct')];
  const results: Measured[] = [];
  const notes: string[] = [];
  try {
    const delivery = (sides[0].backend.store as PgStore).timeoutDelivery;
    log(
      `Through PgBouncer (${new URL(PG_POOLER_URL).host}), the app's timeouts go ${delivery === 'per-transaction' ? 'per transaction (the pooler drops them as startup parameters)' : delivery}; direct (${new URL(PG_ADMIN_URL).host}) as startup parameters.`,
    );
    const first = { sort: 'business_name', size: 100, page: 1 };
    results.push(
      await measure(
        sides,
        'grid first page + total (listPlaces: no filter, name sort)',
        runs,
        (side) => side.backend.places.list({ ...first, include_total: true }),
        100,
      ),
    );
    results.push(
      await measure(
        sides,
        'grid first page, no total',
        runs,
        (side) => side.backend.places.list({ ...first, include_total: false }),
        100,
      ),
    );
    const deepPage = Math.floor(Math.min(4_000_000, rows * 0.4) / 100) + 1;
    const offset = ((deepPage - 1) * 100).toLocaleString('en');
    // Page marks (sql/pg/0018): the first deep jump finds none, is read from the index alone and
    // has them counted in the background; the jumps after it start from a mark.
    await withClient(urlFor(PG_ADMIN_URL, database), (c) => c.query('DELETE FROM page_mark_sets'));
    const firstJump = performance.now();
    await sides[1].backend.places.list({ ...first, page: deepPage, include_total: false });
    const firstJumpMs = performance.now() - firstJump;
    const counted = await withClient(urlFor(PG_ADMIN_URL, database), async (c) => {
      for (;;) {
        const { rows: found } = await c.query(
          `SELECT 1 FROM page_mark_sets WHERE sort_column = 'name'`,
        );
        if (found.length > 0) return (performance.now() - firstJump) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    log(
      `  first deep jump (no page marks yet, direct): ${firstJumpMs.toFixed(1)} ms; the name sort's marks counted ${counted.toFixed(1)} s after it`,
    );
    notes.push(
      `The first jump after the places were imported or changed finds no page marks: ${firstJumpMs.toFixed(0)} ms (direct), read from the index alone; the marks of the name sort were counted in the background within ${counted.toFixed(1)} s, and the jumps measured here start from them.`,
    );
    results.push(
      await measure(
        sides,
        `grid deep page ${deepPage} (offset ${offset}), no total, from the page marks`,
        runs,
        (side) => side.backend.places.list({ ...first, page: deepPage, include_total: false }),
        100,
      ),
    );
    results.push(
      await measure(
        sides,
        `the same page number, name descending (marks counted by the jumps above)`,
        runs,
        (side) =>
          side.backend.places.list({
            ...first,
            sort: 'business_name:desc',
            page: deepPage,
            include_total: false,
          }),
        100,
      ),
    );
    // Scrolling on from there: the next page continues after the last place of the one before.
    const before = await sides[0].backend.places.list({
      ...first,
      page: deepPage - 1,
      include_total: false,
    });
    const anchor = before.items.at(-1)!.place_id;
    results.push(
      await measure(
        sides,
        `the same page by keyset (after the last place of page ${deepPage - 1})`,
        runs,
        (side) =>
          side.backend.places.list({
            ...first,
            page: deepPage,
            include_total: false,
            after: anchor,
          }),
        100,
      ),
    );
    let set = 0;
    results.push(
      await measure(sides, 'status update of 10,000 random places', updateRuns, (side, i) =>
        side.backend.places.updateStatus(
          {
            place_ids: updateSet(rows, 5000 + set++),
            status: STATUS_CYCLE[(i + 4) % STATUS_CYCLE.length]!,
          },
          'bench',
        ),
      ),
    );
    let claims = 0;
    results.push(
      await measure(
        sides,
        'deep scan claim of 20 (FOR UPDATE SKIP LOCKED, a lease row each)',
        runs,
        async (side) => {
          const claimed = await side.queue.claim({
            workerId: CLAIMER,
            token: `bench-${claims++}`,
            limit: 20,
            leaseMs: 60_000,
            ratePerSecond: 100_000,
          });
          if (claimed.places.length !== 20) {
            throw new Error(`claimed ${claimed.places.length} places, not 20: is the queue empty?`);
          }
          // Back to the queue, untimed, so a kept database keeps its backlog.
          return () => side.queue.release(claimed.places, 0);
        },
        20,
      ),
    );
  } finally {
    for (const side of sides) {
      await side.queue.close();
      await side.backend.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  const buffers = await withClient(PG_ADMIN_URL, (c) => sharedBuffers((text) => c.query(text)));
  console.log(
    `\nStaging Editor at team scale: ${rows.toLocaleString('en')} places, PostgreSQL behind PgBouncer (transaction mode) and direct, shared_buffers ${buffers}, ${runs} runs each, load average ${loadAverage()}, ${new Date().toISOString()}\n`,
  );
  const ms = (x: number) => x.toFixed(1);
  console.log(
    [
      '| measure | PgBouncer p50 ms | PgBouncer p95 ms | direct p50 ms | direct p95 ms | target (p95, PgBouncer) | |',
      '|---|---:|---:|---:|---:|---:|---|',
      ...results.map(
        (r) =>
          `| ${r.measure} | ${ms(r.pooler.p50)} | ${ms(r.pooler.p95)} | ${ms(r.direct.p50)} | ${ms(r.direct.p95)} | ${r.target === undefined ? '' : `<= ${r.target} ms`} | ${r.target === undefined ? '' : r.pooler.p95 <= r.target ? 'ok' : 'MISSED'} |`,
      ),
    ].join('\n'),
  );
  for (const note of notes) console.log(`\n${note}`);
}
