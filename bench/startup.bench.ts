/**
 * `npm run bench:startup`: the backend's cold start on a big store (issue 9's number: ready to
 * answer the grid's first page within 1 s on 1,000,000 places, migrations checked, not re-run).
 * Seeds each store once, then starts a fresh process per run (bench/startup-child.ts) and times,
 * inside it, startBackend (store open with the scripts checked, verifier, services) plus the
 * first page with its total, against the bare driver opening the same store and running the same
 * page and count. Module loading is not counted (the packaged app loads bundled code; here tsx
 * compiles the sources). Not a timed test.
 *   npm run bench:startup -- --places 1000000 --runs 5 [--only sqlite,postgres]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Store } from '../src-main/db/store';
import { samplePlaces } from '../src-main/places/sample-data';
import { createPlacesService, placesRepositoryFor } from '../src-main/places/service';
import { createTestStore, type StoreKind } from '../test/support/stores';
import { argValue, printTable, refuseUnknownOptions, type Row } from './support';
import { median } from './stats';

refuseUnknownOptions(['places', 'runs', 'only']);
const PLACES = Number(argValue('places', '1000000'));
const RUNS = Number(argValue('runs', '5'));
const ONLY = argValue('only', 'sqlite,postgres').split(',') as StoreKind[];
const CHILD = fileURLToPath(new URL('./startup-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

async function seed(store: Store): Promise<void> {
  const places = createPlacesService(placesRepositoryFor(store));
  let done = 0;
  for (const chunk of samplePlaces(PLACES, 11, 10_000)) {
    await places.insertPlaces(chunk);
    done += chunk.length;
    if (done % 100_000 === 0) process.stderr.write(`seeded ${done}\n`);
  }
  if (store.kind === 'postgres') await store.pool.query('VACUUM ANALYZE');
  else store.sqlite.exec('ANALYZE');
}

function run(env: Record<string, string>, rawDriver: boolean): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', CHILD, ...(rawDriver ? ['--raw'] : [])],
    { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
}

const rows: Row[] = [];
for (const kind of ONLY) {
  const handle = await createTestStore(kind);
  try {
    const store = await handle.open();
    await seed(store);
    await store.close();
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = run(handle.env, false);
      subject.push(s.total!);
      baseline.push(run(handle.env, true).total!);
      process.stderr.write(`${kind} run ${i + 1}: ${JSON.stringify(s)}\n`);
    }
    rows.push({
      store: kind,
      measure: `cold start to the first grid page (with its total) at ${PLACES.toLocaleString('en-US')} places, median of ${RUNS} processes, vs the bare driver's open + page + count`,
      subject: median(subject),
      baseline: median(baseline),
      target: 0,
      limitMs: 1000,
    });
  } finally {
    await handle.dispose();
  }
}
printTable(rows, 'backend');
