/**
 * A pull as a process of its own, for the kill tests: pulls PULL_DATABASE_URL into the SQLite
 * replica PULL_REPLICA_PATH in pages of PULL_PAGE_SIZE, printing `progress <done> <total>` after
 * each page and `done <cursor>` at the end. Run with `node --import tsx test/sync/pull-entry.ts`.
 * PULL_SELF_KILL=`after-read:<n>` SIGKILLs the process itself once page n was read from
 * PostgreSQL, `mid-apply:<n>` inside the SQLite transaction applying page n (from the hook the
 * pull calls there), so a test can crash it at exactly those instants too.
 */
import { openPostgres, openSqlite } from '../../src-main/db/store';
import { pullChanges } from '../../src-main/sync/pull';

const server = await openPostgres(process.env.PULL_DATABASE_URL!, { migrate: false, poolSize: 2 });
const replica = openSqlite(process.env.PULL_REPLICA_PATH!, { migrate: false });
const [killMode, killPage] = (process.env.PULL_SELF_KILL ?? ':').split(':');
let pageRead = 0;
let pageApplying = 0;
const killAt = (mode: string, page: number) => {
  if (killMode === mode && page === Number(killPage)) process.kill(process.pid, 'SIGKILL');
};
try {
  const result = await pullChanges(server, replica, {
    pageSize: Number(process.env.PULL_PAGE_SIZE ?? 100),
    onProgress: ({ done, total }) => process.stdout.write(`progress ${done} ${total}\n`),
    afterRead: () => killAt('after-read', ++pageRead),
    pendingDecisions: () => {
      killAt('mid-apply', ++pageApplying);
      return new Set();
    },
  });
  process.stdout.write(`done ${result.cursor}\n`);
  process.exitCode = 0;
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await replica.close();
  await server.close();
}
