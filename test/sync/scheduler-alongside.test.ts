import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SyncMutationResult } from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import type { PgStore } from '../../src-main/db/store';
import { scanQueueFor } from '../../src-main/scan/queue-for-store';
import { applyMutations } from '../../src-main/sync/apply-mutations';
import { setStatus } from '../scan/support/stores';
import { createTestStore, type TestStoreHandle } from '../support/stores';
import { insertPlaces, mutation } from './support';
import { seededRandom } from '../../src-shared/random';

const PLACES = 4000;
const DECISIONS = 1000;
const SCHEDULER_UPDATES = 5000;

/**
 * The scheduler writes the scan columns only, never status, so its writes never bump the status
 * revision: offline decisions made on the revision before the scans ran are applied, none is a
 * conflict.
 */
describe('scheduler updates alongside pushed decisions on PostgreSQL', () => {
  let handle: TestStoreHandle;
  let store: PgStore;

  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
  });
  afterAll(() => handle.dispose());

  test(`${SCHEDULER_UPDATES} claims, completions, retries and failures through the real scan queue: zero conflicts`, async () => {
    const ids = Array.from({ length: PLACES }, (_, i) => `s-${String(i).padStart(5, '0')}`);
    await insertPlaces(store, ids);
    for (let i = 0; i < ids.length; i += 1000)
      await setStatus(store, ids.slice(i, i + 1000), 'Selected');

    // Every place is Selected at revision 1 and queued; reviewers decide 1,000 of them offline.
    const r = seededRandom(5000);
    const statuses: PlaceStatus[] = ['New', 'Selected', 'Maybe', 'Not a Fit', 'Archived'];
    const decided = [...ids].sort(() => r() - 0.5).slice(0, DECISIONS);
    const batch = decided.map((id) =>
      mutation(id, statuses[Math.floor(r() * statuses.length)]!, 1, 'offline-ann'),
    );

    const queue = scanQueueFor(store);
    await queue.prepare(5);
    let schedulerUpdates = 0;
    let pushDone = false;
    async function schedulerLoop(workerId: string, pick: () => number) {
      while (schedulerUpdates < SCHEDULER_UPDATES) {
        const { places } = await queue.claim({
          workerId,
          token: randomUUID(),
          limit: 20,
          leaseMs: 60_000,
          ratePerSecond: 1_000_000,
        });
        schedulerUpdates += places.length;
        if (places.length === 0 && pushDone) break;
        for (const claim of places) {
          const roll = pick();
          const written =
            roll < 0.8
              ? await queue.complete(claim, { place_id: claim.placeId, business_name: 'Scanned' })
              : roll < 0.9
                ? await queue.retryLater(claim, 'HTTP 503', 0)
                : await queue.fail(claim, 'HTTP 404');
          if (written) schedulerUpdates++;
        }
      }
    }

    const results: SyncMutationResult[] = [];
    let duringPush = 0;
    async function push() {
      const atStart = schedulerUpdates;
      try {
        for (let i = 0; i < batch.length; i += 50) {
          const report = await applyMutations(store, batch.slice(i, i + 50), new Date());
          expect(report.stopped).toBeNull();
          results.push(...report.results);
        }
        duringPush = schedulerUpdates - atStart;
      } finally {
        pushDone = true;
      }
    }

    const s1 = seededRandom(1);
    const s2 = seededRandom(2);
    await Promise.all([push(), schedulerLoop('w1', s1), schedulerLoop('w2', s2)]);
    await queue.close();

    expect(schedulerUpdates).toBeGreaterThanOrEqual(SCHEDULER_UPDATES);
    // The two really ran at the same time.
    expect(duringPush).toBeGreaterThan(100);
    const outcomes = results.reduce<Record<string, number>>((acc, x) => {
      acc[x.outcome] = (acc[x.outcome] ?? 0) + 1;
      return acc;
    }, {});
    expect(outcomes).toEqual({ applied: DECISIONS });
    const { rows } = await store.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM places_staging WHERE deep_scan_status IN ('Completed', 'Error')",
    );
    expect(rows[0]!.n).toBeGreaterThan(1000);
  }, 300_000);
});
