/**
 * A process that pushes a batch of offline decisions to PostgreSQL, for the kill tests:
 * `node --import tsx test/sync/apply-entry.ts` with DATABASE_URL, SYNC_TEST_BATCH (a JSON file of
 * mutations), SYNC_TEST_NOW (the server time to write) and SYNC_TEST_OUT (where the results go).
 * It prints `applying <i>` before each mutation, so a test can kill it at a chosen one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { openPostgres } from '../../src-main/db/store';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import type { SyncMutationResult } from '../../src-shared/contract/sync';

const store = await openPostgres(process.env.DATABASE_URL!, { migrate: false, poolSize: 1 });
const batch = JSON.parse(readFileSync(process.env.SYNC_TEST_BATCH!, 'utf8')) as unknown[];
const now = new Date(process.env.SYNC_TEST_NOW!);
const results: SyncMutationResult[] = [];
for (const [i, m] of batch.entries()) {
  process.stdout.write(`applying ${i}\n`);
  const report = await applyMutations(store, [m], now);
  if (report.stopped) {
    console.error(`stopped at ${i}: ${report.stopped.error}`);
    process.exit(2);
  }
  results.push(...report.results);
}
writeFileSync(process.env.SYNC_TEST_OUT!, JSON.stringify(results));
await store.close();
process.stdout.write('done\n');
