/**
 * A worker that dies the moment its call could be sent: it claims one place of the PostgreSQL
 * store at DATABASE_URL, starts the call's ledger row (startCall), prints SENT once startCall
 * lets the call go, and SIGKILLs itself. Run with `node --import tsx` by
 * test/scan/ledger-write-ahead.test.ts, which holds the ledger's INSERT back meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { openPostgres } from '../../../src-main/db/store';
import { utcDayOf } from '../../../src-main/scan/queue';
import { scanQueueFor } from '../../../src-main/scan/queue-for-store';

const store = await openPostgres(process.env.DATABASE_URL!, { migrate: false, poolSize: 2 });
const queue = scanQueueFor(store);
const day = utcDayOf(Date.now());
const { places } = await queue.claim({
  workerId: 'doomed',
  token: randomUUID(),
  limit: 1,
  leaseMs: 60_000,
  ratePerSecond: 100,
  day,
});
const place = places[0]!;
const started = await queue.startCall({
  placeId: place.placeId,
  workerId: 'doomed',
  fieldMask: 'id',
  startedAt: Date.now(),
  day,
});
process.stdout.write(started.recorded ? 'SENT\n' : `NOT SENT ${JSON.stringify(started)}\n`);
process.kill(process.pid, 'SIGKILL');
