/**
 * One cold start of the backend in a fresh process, for bench/startup.bench.ts: open the store
 * (pending scripts checked, none run), the token verifier and the services, then answer the
 * grid's first request (the list input's defaults: first page, default sort, with the total).
 * Prints one JSON line of milliseconds. `--raw`: the same with the bare driver instead (open the
 * file or connect, the same page and count by hand), the baseline.
 */
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startBackend } from '../src-main/backend';
import { loadSettings, sqlitePath } from '../src-main/config';

const PAGE_SQL = `SELECT place_id, name, formatted_address, business_type, search_location, latitude,
  longitude, rating, user_ratings_total, price_level, status, deep_scan_status, deep_scan_error,
  updated_at, updated_by FROM places_staging ORDER BY name, id LIMIT 50`;
const COUNT_SQL = 'SELECT count(*) AS n FROM places_staging';

async function backend(): Promise<Record<string, number>> {
  const start = performance.now();
  const b = await startBackend(loadSettings(), { scheduler: false });
  const ready = performance.now();
  const token = await b.issueLocalToken('bench', 600);
  const tokenAt = performance.now();
  const page = await b.dispatch('listPlaces', {}, token);
  const done = performance.now();
  if (!page.ok || page.value.items.length !== 50) throw new Error('no first page');
  await b.close();
  return {
    start: ready - start,
    firstPage: done - tokenAt,
    total: done - start - (tokenAt - ready),
  };
}

async function raw(): Promise<Record<string, number>> {
  const settings = loadSettings();
  const start = performance.now();
  if (settings.DATABASE_URL) {
    const client = new pg.Client({ connectionString: settings.DATABASE_URL });
    await client.connect();
    await client.query(PAGE_SQL);
    await client.query(COUNT_SQL);
    const done = performance.now();
    await client.end();
    return { total: done - start };
  }
  const db = new Database(sqlitePath(settings), { readonly: true });
  db.prepare(PAGE_SQL).all();
  db.prepare(COUNT_SQL).get();
  const done = performance.now();
  db.close();
  return { total: done - start };
}

const result = await (process.argv.includes('--raw') ? raw() : backend());
process.stdout.write(`${JSON.stringify(result)}\n`);
