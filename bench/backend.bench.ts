/**
 * `npm run bench`: the places service against raw SQL written with the bare drivers, on both
 * stores, in one run. Prints a Markdown table of ratios (service / raw). Not a timed test.
 *   npm run bench -- --rows 1000000 --stores sqlite,postgres --runs 5
 * Then, many reviewers at once (`--only concurrency`; `--reviewers 20 --seconds 30
 * --concurrency-rows 100000 --paging grid|jumps --pool-size N`): throughput and latency of one HTTP server
 * under load (bench/reviewers.ts says how they page).
 * Opt-in, on its own: `npm run bench -- --pgbouncer-10m [--rows N] [--runs 20]`, PostgreSQL behind
 * PgBouncer at 10,000,000 places, p50 / p95 (see bench/team-scale.ts).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { startBackend, type Backend } from '../src-main/backend';
import { loadSettings } from '../src-main/config';
import type { Store } from '../src-main/db/store';
import { createHttpServer } from '../src-main/http/server';
import { samplePlaceId, samplePlaces } from '../src-main/places/sample-data';
import { createTestStore, type StoreKind, type TestStoreHandle } from '../test/support/stores';
import {
  argValue,
  compareMs,
  loadAverage,
  printTable,
  randomIndexes,
  refuseUnknownOptions,
  sharedBuffers,
  type Row,
} from './support';
import { benchTeamScale } from './team-scale';
import type { PlaceStatus } from '../src-shared/domain';
import { percentile } from './stats';

refuseUnknownOptions([
  ...['rows', 'runs', 'stores', 'only'],
  ...['concurrency-rows', 'reviewers', 'seconds', 'paging', 'pool-size'],
  // bench/team-scale.ts (also --rows and --runs)
  ...['pgbouncer-10m', 'update-runs'],
]);
const ROWS = Number(argValue('rows', '1000000'));
const RUNS = Number(argValue('runs', '5'));
const STORES = argValue('stores', 'sqlite,postgres').split(',') as StoreKind[];
/**
 * Which groups of measures to run (all by default): update, pages, search, summary, http on each
 * of STORES, and concurrency (PostgreSQL only, on a store of its own: about 45 s).
 */
const ONLY = new Set(argValue('only', 'update,pages,search,summary,http,concurrency').split(','));
const SEED = 11;
const SECRET = 'benchmark-secret-that-is-long-enough-123456';

/**
 * Each timed update gets its own fresh set of 10,000 random places (every place when --rows is
 * smaller: randomIndexes cannot pick more distinct places than there are) and flips it to a new
 * status.
 */
const UPDATE_IDS = Math.min(10_000, ROWS);
const UPDATE_LABEL = UPDATE_IDS.toLocaleString('en');
let setCounter = 0;
function nextIdSet(): string[] {
  return randomIndexes(UPDATE_IDS, ROWS, 1000 + setCounter++).map((i) => samplePlaceId(SEED, i));
}
const STATUS_CYCLE: PlaceStatus[] = [
  'Selected',
  'Maybe',
  'Not a Fit',
  'Selected',
  'Archived',
  'New',
];
const statusFor = (i: number) => STATUS_CYCLE[(i + STATUS_CYCLE.length) % STATUS_CYCLE.length]!;

// ---- the raw-SQL baselines: the same statements the service's step 6 runs, by hand ----

// PostgreSQL: lock the matched rows in one statement and count them as locked, then update
// exactly the locked ids that change (what the repository does to stay right under races).
const PG_LOCK_AND_COUNT = `WITH locked AS MATERIALIZED (
    SELECT id, status, deep_scan_status FROM places_staging
    WHERE place_id = ANY($1::text[]) ORDER BY id FOR UPDATE)
  SELECT count(*)::int AS matched,
    sum(CASE WHEN status <> $2 THEN 1 ELSE 0 END)::int AS updated,
    sum(CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN 1 ELSE 0 END)::int AS queueable,
    sum(CASE WHEN deep_scan_status = 'Queued' THEN 1 ELSE 0 END)::int AS queued,
    COALESCE(array_agg(id) FILTER (WHERE status <> $2 OR CASE WHEN $2 = 'Selected'
      THEN deep_scan_status IS NULL OR deep_scan_status = 'Error' ELSE deep_scan_status = 'Queued' END), '{}') AS touched
  FROM locked`;
const SET_SELECTED = `status = $2, updated_at = $3, updated_by = $4,
    deep_scan_status = CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN 'Queued' ELSE deep_scan_status END,
    deep_scan_error = CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN NULL ELSE deep_scan_error END,
    deep_scan_attempts = CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN 0 ELSE deep_scan_attempts END,
    deep_scan_queued_at = CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN $3 ELSE deep_scan_queued_at END,
    deep_scan_next_attempt_at = CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN $3 ELSE deep_scan_next_attempt_at END`;
const SET_OTHER = `status = $2, updated_at = $3, updated_by = $4,
    deep_scan_status = CASE WHEN deep_scan_status = 'Queued' THEN NULL ELSE deep_scan_status END,
    deep_scan_queued_at = CASE WHEN deep_scan_status = 'Queued' THEN NULL ELSE deep_scan_queued_at END,
    deep_scan_next_attempt_at = CASE WHEN deep_scan_status = 'Queued' THEN NULL ELSE deep_scan_next_attempt_at END`;
const PG_UPDATE_SELECTED = `UPDATE places_staging SET ${SET_SELECTED} WHERE id = ANY($1::int[])`;
const PG_UPDATE_OTHER = `UPDATE places_staging SET ${SET_OTHER} WHERE id = ANY($1::int[])`;

async function rawUpdatePg(pool: pg.Pool, ids: string[], status: PlaceStatus): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ touched: number[] }>(PG_LOCK_AND_COUNT, [ids, status]);
    await client.query(status === 'Selected' ? PG_UPDATE_SELECTED : PG_UPDATE_OTHER, [
      rows[0]!.touched,
      status,
      new Date(),
      'bench',
    ]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

function rawUpdateSqlite(db: Database.Database): (ids: string[], status: PlaceStatus) => void {
  const ids = `place_id IN (SELECT value FROM json_each(@ids))`;
  const counts = db.prepare(`SELECT count(*) AS matched,
      sum(CASE WHEN status <> @status THEN 1 ELSE 0 END) AS updated,
      sum(CASE WHEN deep_scan_status IS NULL OR deep_scan_status = 'Error' THEN 1 ELSE 0 END) AS queueable,
      sum(CASE WHEN deep_scan_status = 'Queued' THEN 1 ELSE 0 END) AS queued
    FROM places_staging WHERE ${ids}`);
  const touch = `(status <> @status OR CASE WHEN @status = 'Selected'
    THEN deep_scan_status IS NULL OR deep_scan_status = 'Error' ELSE deep_scan_status = 'Queued' END)`;
  const sqliteSet = (set: string) =>
    set.replaceAll('$2', '@status').replaceAll('$3', '@now').replaceAll('$4', '@user');
  const selected = db.prepare(
    `UPDATE places_staging SET ${sqliteSet(SET_SELECTED)} WHERE ${ids} AND ${touch}`,
  );
  const other = db.prepare(
    `UPDATE places_staging SET ${sqliteSet(SET_OTHER)} WHERE ${ids} AND ${touch}`,
  );
  const run = db.transaction(
    (params: { ids: string; status: string; now: number; user: string }) => {
      counts.get(params);
      (params.status === 'Selected' ? selected : other).run(params);
    },
  );
  return (list, status) =>
    run.immediate({ ids: JSON.stringify(list), status, now: Date.now(), user: 'bench' });
}

const PAGE_COLUMNS = `place_id, name, formatted_address, business_type, search_location, latitude, longitude, rating,
  user_ratings_total, price_level, status, deep_scan_status, deep_scan_error, updated_at, updated_by`;

/** The table column of each sort the pages group measures, and whether it can be NULL. */
const SORT_SQL: Record<string, [column: string, nullable: boolean]> = {
  business_name: ['name', false],
  rating: ['rating', true],
  deep_scan_status: ['deep_scan_status', true],
};

/**
 * The naive grid page by hand, as the app read it before issue 11: the filter, ORDER BY the
 * column (NULLs last) and the id, LIMIT and OFFSET over the rows.
 */
async function rawPage(
  store: Store,
  offset: number,
  withCount: boolean,
  sort = 'business_name',
): Promise<void> {
  const [field, direction] = sort.split(':') as [string, string | undefined];
  const [column, nullable] = SORT_SQL[field]!;
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const page = `SELECT ${PAGE_COLUMNS} FROM places_staging WHERE status = 'New'
    ORDER BY ${column} ${dir}${nullable ? ' NULLS LAST' : ''}, id ${dir} LIMIT 100 OFFSET ${offset}`;
  const count = `SELECT count(*) AS n FROM places_staging WHERE status = 'New'`;
  if (store.kind === 'postgres') {
    await Promise.all([store.pool.query(page), withCount ? store.pool.query(count) : null]);
  } else {
    store.sqlite.prepare(page).all();
    if (withCount) store.sqlite.prepare(count).get();
  }
}

/** The 3-word search of the benchmark: a name word pair and a city, found by every word. */
const SEARCH_WORDS = ['blue', 'oak', 'chicago'];

/**
 * The search by hand: one LIKE per word on the folded column (`search_text`, which the database
 * keeps), first page by name and the total, as the grid asks for them.
 */
async function rawSearch(store: Store): Promise<void> {
  const patterns = SEARCH_WORDS.map((w) => `%${w}%`);
  if (store.kind === 'postgres') {
    // The trigram index is on places_search (sql/pg/0016), the same search_text by id.
    const where = `id IN (SELECT id FROM places_search WHERE ${patterns
      .map((_, i) => `search_text LIKE $${i + 1}`)
      .join(' AND ')})`;
    await Promise.all([
      store.pool.query(
        `SELECT ${PAGE_COLUMNS} FROM places_staging WHERE ${where} ORDER BY name ASC, id ASC LIMIT 100`,
        patterns,
      ),
      store.pool.query(`SELECT count(*) AS n FROM places_staging WHERE ${where}`, patterns),
    ]);
  } else {
    const where = patterns.map(() => `search_text LIKE ?`).join(' AND ');
    store.sqlite
      .prepare(
        `SELECT ${PAGE_COLUMNS} FROM places_staging WHERE ${where} ORDER BY name ASC, id ASC LIMIT 100`,
      )
      .all(...patterns);
    store.sqlite
      .prepare(`SELECT count(*) AS n FROM places_staging WHERE ${where}`)
      .get(...patterns);
  }
}

async function seed(backend: Backend, count = ROWS): Promise<void> {
  const started = Date.now();
  let done = 0;
  for (const chunk of samplePlaces(count, SEED, 10_000)) {
    await backend.places.insertPlaces(chunk);
    done += chunk.length;
    if (done % 100_000 === 0)
      process.stderr.write(
        `  seeded ${done} rows (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
      );
  }
  // Every table, places_search too: its statistics were taken by the migration while it was
  // empty, and without fresh ones a search plans as if it matched nothing (autovacuum would
  // catch up within a minute; the timed runs start at once).
  if (backend.store.kind === 'postgres') await backend.store.pool.query('VACUUM ANALYZE');
  else backend.store.sqlite.exec('ANALYZE');
}

async function benchStore(kind: StoreKind): Promise<Row[]> {
  process.stderr.write(`${kind}: seeding ${ROWS} places...\n`);
  const handle: TestStoreHandle = await createTestStore(kind, { JWT_SECRET: SECRET });
  const backend = await startBackend(loadSettings(handle.env));
  const store = backend.store;
  const rows: Row[] = [];
  try {
    await seed(backend);
    const user = 'bench';

    const rawUpdate =
      store.kind === 'postgres'
        ? (ids: string[], s: PlaceStatus) => rawUpdatePg(store.pool, ids, s)
        : rawUpdateSqlite(store.sqlite);
    if (ONLY.has('search')) {
      process.stderr.write(`${kind}: 3-word search...\n`);
      const search = {
        q: SEARCH_WORDS.join(' '),
        sort: 'business_name',
        size: 100,
        page: 1,
        include_total: true,
      };
      const found = await backend.places.list(search);
      rows.push({
        store: kind,
        measure: `search "${search.q}": first page + total (${found.total} found)`,
        ...(await compareMs(
          RUNS,
          () => backend.places.list(search),
          () => rawSearch(store),
        )),
        target: 1.3,
      });
    }

    if (ONLY.has('pages')) {
      process.stderr.write(`${kind}: grid pages...\n`);
      const first = {
        status: 'New' as const,
        sort: 'business_name',
        size: 100,
        page: 1,
        include_total: true,
      };
      rows.push({
        store: kind,
        measure: 'grid first page + total (status filter, name sort)',
        ...(await compareMs(
          RUNS,
          () => backend.places.list(first),
          () => rawPage(store, 0, true),
        )),
        target: 1.3,
      });
      // A jump to 40% of the places (offset 400,000 of 1,000,000), read by the page's number:
      // the ids from the sort's index, then 100 rows (src-main/places/paging.ts), against the
      // naive OFFSET query. By name (issue 11's measure): PostgreSQL at most 0.15 of it, SQLite
      // never slower. The other sorts must never be slower: a descending sort with NULLs last
      // (two ranges on PostgreSQL), and the scan state, where the page lies in the NULLs, read in
      // id order, the table's own order, so the naive query's row reads are cheap there.
      const deepOffset = Math.floor((ROWS * 0.4) / 100) * 100;
      const deepPage = deepOffset / 100 + 1;
      const deepTarget = kind === 'postgres' ? 0.15 : 1;
      for (const [sort, label, target] of [
        ['business_name', 'name sort', deepTarget],
        ['rating:desc', 'rating:desc, NULLs last', 1],
        ['deep_scan_status', 'scan state sort, in its NULLs', 1],
      ] as const) {
        const deep = { ...first, sort, page: deepPage, include_total: false };
        rows.push({
          store: kind,
          measure: `grid deep page ${deepPage} (offset ${deepOffset}, status filter, ${label})`,
          ...(await compareMs(
            RUNS,
            () => backend.places.list(deep),
            () => rawPage(store, deepOffset, false, sort),
          )),
          target,
        });
      }
      // The same page by keyset: the grid scrolling on names the last place of the page before.
      const before = await backend.places.list({
        ...first,
        page: deepPage - 1,
        include_total: false,
      });
      const next = {
        ...first,
        page: deepPage,
        include_total: false,
        after: before.items.at(-1)!.place_id,
      };
      rows.push({
        store: kind,
        measure: `grid page ${deepPage} by keyset (after the last place of page ${deepPage - 1})`,
        ...(await compareMs(
          RUNS,
          () => backend.places.list(next),
          () => rawPage(store, deepOffset, false),
        )),
        target: deepTarget,
      });
    }

    if (ONLY.has('summary')) {
      // The summary reads the counts the triggers keep (sql 0011); the baseline is the GROUP BY
      // over every place it replaced. Measured after the updates above left their deltas.
      process.stderr.write(`${kind}: summary...\n`);
      const groupBy = 'SELECT status, deep_scan_status, count(*) FROM places_staging GROUP BY 1, 2';
      rows.push({
        store: kind,
        measure: 'summary (counts by status and scan state)',
        ...(await compareMs(
          RUNS,
          () => backend.places.summary(),
          () =>
            store.kind === 'postgres'
              ? store.pool.query(groupBy)
              : store.sqlite.prepare(groupBy).all(),
        )),
        target: 1,
        limitMs: 20,
      });
    }

    // The writes come last: each timed update leaves 10,000 more places' table pages not
    // all-visible until a vacuum, so the pages' index-only scans above would read the table
    // too (a deep page at 1,000,000 places: ~1.7 s after the five runs instead of ~70 ms).
    if (ONLY.has('update')) {
      process.stderr.write(`${kind}: dual-status update of ${UPDATE_LABEL} places...\n`);
      rows.push({
        store: kind,
        measure: `update ${UPDATE_LABEL} places (step 6)`,
        ...(await compareMs(
          RUNS,
          (i) =>
            backend.places.updateStatus({ place_ids: nextIdSet(), status: statusFor(i) }, user),
          (i) => rawUpdate(nextIdSet(), statusFor(i)),
        )),
        target: 1.3,
      });
    }

    if (ONLY.has('http')) {
      process.stderr.write(`${kind}: HTTP round trip...\n`);
      const app = await createHttpServer(backend);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v3/places/staging/status`;
      const token = await new SignJWT({ sub: user })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(SECRET));
      const httpUpdate = async (i: number) => {
        const res = await fetch(url, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ place_ids: nextIdSet(), status: statusFor(i) }),
        });
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        await res.json();
      };
      const http = await compareMs(RUNS, httpUpdate, (i) => rawUpdate(nextIdSet(), statusFor(i)));
      rows.push({
        store: kind,
        measure: `HTTP PUT of ${UPDATE_LABEL} ids, whole round trip`,
        ...http,
        target: 1.5,
      });
      await app.close();
    }
  } finally {
    await backend.close();
    await handle.dispose();
  }
  return rows;
}

// ---- many reviewers at once (PostgreSQL): one HTTP server, reviewers in another process ----

const CONCURRENCY_ROWS = Number(argValue('concurrency-rows', '100000'));
const REVIEWERS = Number(argValue('reviewers', '20'));
const CONCURRENCY_SECONDS = Number(argValue('seconds', '30'));
/** How the reviewers page (bench/reviewers.ts): `grid` as the grid does, or `jumps` only. */
const PAGING = argValue('paging', 'grid');
/** `--pool-size N`: the server's DATABASE_POOL_SIZE (default: the app's, from the cores). */
const POOL_SIZE = argValue('pool-size', '');
/** The seed of the reviewers' choices (sorts, filters, pages, places, statuses). */
const CONCURRENCY_SEED = 7;

interface ReviewersReport {
  elapsed: number;
  latencies: { page: number[]; decision: number[] };
  /** The pages again, by how they were asked for. */
  pageLatencies: { first: number[]; next: number[]; jump: number[] };
  errors: string[];
  /** [place_id, status, updated_by] each decided place must end with. */
  expected: [string, string, string | null][];
}

function runReviewers(env: Record<string, string>): Promise<ReviewersReport> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'reviewers.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as ReviewersReport)
        : reject(new Error(`the reviewers' process exited with ${code}`)),
    );
  });
}

/**
 * REVIEWERS reviewers for CONCURRENCY_SECONDS against one `serve`-equivalent server (the app's
 * backend and HTTP API, as `staging-editor serve` starts them, default pool) on
 * CONCURRENCY_ROWS places: requests per second and p50/p95 by kind, errors (must be none), and
 * every decision checked in the database afterwards. Target: grid pages p95 <= 250 ms.
 */
async function benchConcurrency(): Promise<void> {
  process.stderr.write(`concurrency: seeding ${CONCURRENCY_ROWS} places on postgres...\n`);
  const started = Date.now();
  const handle = await createTestStore('postgres', {
    JWT_SECRET: SECRET,
    ...(POOL_SIZE ? { DATABASE_POOL_SIZE: POOL_SIZE } : {}),
  });
  const backend = await startBackend(loadSettings(handle.env));
  try {
    await seed(backend, CONCURRENCY_ROWS);
    const app = await createHttpServer(backend);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const tokens = await Promise.all(
      Array.from({ length: REVIEWERS }, (_, r) =>
        new SignJWT({ sub: `reviewer-${r + 1}` })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(SECRET)),
      ),
    );
    process.stderr.write(
      `concurrency: ${REVIEWERS} reviewers for ${CONCURRENCY_SECONDS} s (seeded in ${((Date.now() - started) / 1000).toFixed(0)} s)...\n`,
    );
    const report = await runReviewers({
      BENCH_URL: `http://127.0.0.1:${port}`,
      BENCH_TOKENS: JSON.stringify(tokens),
      BENCH_ROWS: String(CONCURRENCY_ROWS),
      BENCH_DATA_SEED: String(SEED),
      BENCH_SECONDS: String(CONCURRENCY_SECONDS),
      BENCH_RANDOM_SEED: String(CONCURRENCY_SEED),
      BENCH_PAGING: PAGING,
    });
    await app.close();
    // Every decided place as its reviewer left it: status and updated_by.
    const store = backend.store as Extract<Store, { kind: 'postgres' }>;
    const columns = (i: number) => report.expected.map((e) => e[i]);
    const { rows } = await store.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM places_staging p
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS e(place_id, status, updated_by)
         ON p.place_id = e.place_id
       WHERE p.status = e.status AND p.updated_by IS NOT DISTINCT FROM e.updated_by`,
      [columns(0), columns(1), columns(2)],
    );
    const stored = rows[0]!.n;
    const buffers = await sharedBuffers((text) => store.pool.query(text));
    const lines = [
      `\nMany reviewers at once (PostgreSQL): ${REVIEWERS} reviewers, ${CONCURRENCY_SECONDS} s, pages ${PAGING === 'grid' ? 'as the grid asks' : 'all jumps'}, ${CONCURRENCY_ROWS.toLocaleString('en')} places, pool of ${store.pool.options.max}, PostgreSQL shared_buffers ${buffers}, seed ${CONCURRENCY_SEED}, load average ${loadAverage()}\n`,
      '| kind | requests | requests/s | p50 ms | p95 ms | max ms | target | |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
      ...(['page', 'decision'] as const).map((kind) => {
        const xs = report.latencies[kind];
        const p95 = percentile(xs, 95);
        const target = kind === 'page' ? `p95 <= 250 ms | ${p95 <= 250 ? 'ok' : 'MISSED'}` : ' | ';
        return `| ${kind === 'page' ? 'grid page (100 rows)' : 'decision (20 places)'} | ${xs.length} | ${(xs.length / report.elapsed).toFixed(1)} | ${percentile(xs, 50).toFixed(1)} | ${p95.toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${target} |`;
      }),
      ...(
        [
          ['first', '- first block of a view, with its total'],
          ['next', '- next block, by keyset'],
          ['jump', '- a jump, by number'],
        ] as const
      )
        .filter(([how]) => report.pageLatencies[how].length > 0)
        .map(([how, label]) => {
          const xs = report.pageLatencies[how];
          return `| ${label} | ${xs.length} | ${(xs.length / report.elapsed).toFixed(1)} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | | |`;
        }),
      '',
      `errors: ${report.errors.length}${report.errors.length ? ` (MISSED: ${report.errors.slice(0, 3).join('; ')})` : ' (ok)'}`,
      `decisions stored: ${stored} of ${report.expected.length} decided places have the status and updated_by their reviewer sent${stored === report.expected.length ? ' (ok)' : ' (MISSED)'}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await backend.close();
    await handle.dispose();
  }
}

if (process.argv.includes('--pgbouncer-10m')) {
  // Opt-in: a team's store at scale behind PgBouncer (bench/team-scale.ts), nothing else.
  await benchTeamScale();
} else {
  const STORE_GROUPS = ['update', 'pages', 'search', 'summary', 'http'];
  const all: Row[] = [];
  if (STORE_GROUPS.some((group) => ONLY.has(group))) {
    for (const kind of STORES) all.push(...(await benchStore(kind)));
    console.log(
      `\nStaging Editor backend benchmark: ${ROWS.toLocaleString('en')} places, median of ${RUNS} runs, load average ${loadAverage()}, ${new Date().toISOString()}\n`,
    );
    printTable(all, 'service');
  }
  if (ONLY.has('concurrency')) await benchConcurrency();
}
