import { describe, expect, it } from 'vitest';
import type { DeepScanStatus, PlaceStatus } from '../../../../src-shared/domain';
import { OptimisticStatuses, type ShownRow } from './optimistic-statuses';

/** A row as read or shown: a status, never queued unless a scan state is given. */
const row = (status: PlaceStatus, deep_scan_status: DeepScanStatus | null = null): ShownRow => ({
  status,
  deep_scan_status,
});

describe('statuses shown before the server answers', () => {
  it('a decision shows at once, pending, and stays through reads asked before it was stored', () => {
    const shown = new OptimisticStatuses();
    shown.decide(1, 'Maybe', new Map([['a', row('New')]]));
    expect(shown.isPending('a')).toBe(true);
    expect(shown.shown('a', row('New'), 5)).toEqual(row('Maybe'));
    shown.stored(1, 10);
    expect(shown.isPending('a')).toBe(false);
    // A read asked before the store (it raced the decision) still shows the decision.
    expect(shown.shown('a', row('New'), 9)).toEqual(row('Maybe'));
    // A read asked after it is the truth (another reviewer may have changed it since).
    expect(shown.shown('a', row('Archived'), 11)).toEqual(row('Archived'));
    expect(shown.shown('a', row('New'), 12)).toEqual(row('New'));
  });

  it('the scan state shown follows the decision as step 6 will: Selected queues, leaving Selected dequeues', () => {
    const shown = new OptimisticStatuses();
    shown.decide(
      1,
      'Selected',
      new Map([
        ['never', row('New')],
        ['failed', row('Maybe', 'Error')],
        ['done', row('Maybe', 'Completed')],
      ]),
    );
    expect(shown.shown('never', row('New'), 5)).toEqual(row('Selected', 'Queued'));
    expect(shown.shown('failed', row('Maybe', 'Error'), 5)).toEqual(row('Selected', 'Queued'));
    expect(shown.shown('done', row('Maybe', 'Completed'), 5)).toEqual(row('Selected', 'Completed'));
    shown.decide(2, 'Not a Fit', new Map([['waiting', row('Selected', 'Queued')]]));
    expect(shown.shown('waiting', row('Selected', 'Queued'), 5)).toEqual(row('Not a Fit'));
    // A scan that finished while the decision was out shows as finished.
    expect(shown.shown('never', row('New', 'Completed'), 6)).toEqual(row('Selected', 'Completed'));
  });

  it('a refused decision rolls back to what the row showed before it, scan state included', () => {
    const shown = new OptimisticStatuses();
    shown.decide(
      1,
      'Selected',
      new Map([
        ['a', row('New')],
        ['b', row('Maybe', 'Error')],
      ]),
    );
    expect([...shown.rollBack(1)]).toEqual([
      ['a', row('New')],
      ['b', row('Maybe', 'Error')],
    ]);
    expect(shown.shown('a', row('New'), 0)).toEqual(row('New'));
    expect(shown.isPending('a')).toBe(false);
  });

  it('rolling back an earlier decision leaves a place a later key decided again', () => {
    const shown = new OptimisticStatuses();
    shown.decide(
      1,
      'Maybe',
      new Map([
        ['a', row('New')],
        ['b', row('New')],
      ]),
    );
    shown.decide(2, 'Archived', new Map([['a', row('Maybe')]]));
    expect([...shown.rollBack(1)]).toEqual([['b', row('New')]]);
    expect(shown.shown('a', row('New'), 0)).toEqual(row('Archived'));
    expect([...shown.rollBack(2)]).toEqual([['a', row('Maybe')]]);
  });

  it('an earlier decision stored late does not end a later pending one', () => {
    const shown = new OptimisticStatuses();
    shown.decide(1, 'Maybe', new Map([['a', row('New')]]));
    shown.decide(2, 'Archived', new Map([['a', row('Maybe')]]));
    shown.stored(1, 10);
    expect(shown.isPending('a')).toBe(true);
    expect(shown.shown('a', row('Maybe'), 20)).toEqual(row('Archived'));
  });
});
