import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECEIPTS_MAX } from '../../src-shared/contract/sync';
import type { PlacesService } from '../../src-main/places/service';
import { listReceipts, OUTBOX_KEEP_DAYS } from '../../src-main/sync/inbox';
import { syncOnce } from '../../src-main/sync/run';
import { replicaPlaces } from '../../src-main/sync/team';
import { outboxRows } from './outbox-support';
import { createPullPair, importPlaces, type PullPair } from './pull-support';

/**
 * The outbox keeps what a reviewer can still look at: each answered decision for
 * OUTBOX_KEEP_DAYS, and their newest RECEIPTS_MAX whatever their age. Older answered decisions
 * go at the end of a sync (once a day); unanswered ones, rejections and open conflicts never go.
 */
describe('the outbox after a sync', () => {
  let pair: PullPair;
  let offline: PlacesService;
  const now = new Date('2026-12-01T10:00:00.000Z');
  const DAY = 86_400_000;
  beforeEach(async () => {
    pair = await createPullPair();
    offline = replicaPlaces(pair.replica);
  });
  afterEach(async () => {
    await pair.dispose();
  });

  const sync = (at = now) => syncOnce(pair.server, pair.replica, { clock: () => at });
  const seqs = () => outboxRows(pair.replica).map((r) => r.seq);

  it(`keeps answered decisions for ${OUTBOX_KEEP_DAYS} days and each reviewer's newest ${RECEIPTS_MAX}; never an unanswered one, a rejection or an open conflict`, async () => {
    const total = RECEIPTS_MAX + 20;
    const ids = await importPlaces(pair.server, total);
    await sync();
    await offline.updateStatus({ place_ids: ids, status: 'Maybe' }, 'me');
    expect((await sync()).left).toBe(0);
    // Answered today: all kept.
    const all = seqs();
    expect(all).toHaveLength(total);
    expect(outboxRows(pair.replica).every((r) => r.state === 'synced')).toBe(true);

    // The same decisions, answered long ago; the three oldest in states that must stay or go.
    const db = pair.replica.sqlite;
    // A day later (the outbox is pruned once a day).
    const later = new Date(now.getTime() + DAY);
    const old = later.getTime() - (OUTBOX_KEEP_DAYS + 1) * DAY;
    db.prepare('UPDATE sync_outbox SET decided_at = ?').run(old);
    const [rejected, openConflict, resolvedConflict] = all;
    db.prepare(`UPDATE sync_outbox SET state = 'rejected' WHERE seq = ?`).run(rejected);
    db.prepare(`UPDATE sync_outbox SET state = 'conflict' WHERE seq = ?`).run(openConflict);
    db.prepare(
      `UPDATE sync_outbox SET state = 'conflict', resolved_at = ?, resolution = 'theirs' WHERE seq = ?`,
    ).run(old, resolvedConflict);
    // One decided just inside the window, beyond the newest RECEIPTS_MAX: kept.
    const recent = all[5]!;
    db.prepare('UPDATE sync_outbox SET decided_at = ? WHERE seq = ?').run(
      later.getTime() - (OUTBOX_KEEP_DAYS - 1) * DAY,
      recent,
    );
    // Another reviewer's one old decision: among their newest, kept.
    db.prepare(`UPDATE sync_outbox SET user_id = 'colleague' WHERE seq = ?`).run(all[6]);
    const receipts = listReceipts(pair.replica, 'me', RECEIPTS_MAX);

    await sync(new Date(later.getTime() - 1));
    expect(seqs()).toEqual(all);
    await sync(later);
    const newest = all.slice(-RECEIPTS_MAX);
    expect(seqs()).toEqual([rejected, openConflict, recent, all[6], ...newest]);
    expect(listReceipts(pair.replica, 'me', RECEIPTS_MAX)).toEqual(receipts);
  });
});
