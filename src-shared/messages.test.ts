import { describe, expect, test } from 'vitest';
import { describeQueueDeepScan, describeStatusUpdate, describeUndo } from './messages';

const base = {
  matched_count: 0,
  updated_count: 0,
  queued_count: 0,
  dequeued_count: 0,
  already_scanned_count: 0,
  already_queued_count: 0,
  not_found_count: 0,
};

describe('the update sentences', () => {
  test('the example from the workflow: exact counts in a fixed order', () => {
    expect(
      describeStatusUpdate('Selected', {
        ...base,
        matched_count: 12,
        updated_count: 12,
        queued_count: 10,
        already_scanned_count: 2,
        not_found_count: 1,
      }),
    ).toBe('12 updated, 10 queued for deep scan, 2 already scanned, 1 not found');
  });

  test('moving away from Selected reports what left the queue', () => {
    expect(
      describeStatusUpdate('Maybe', {
        ...base,
        matched_count: 5,
        updated_count: 5,
        dequeued_count: 2,
      }),
    ).toBe('5 updated, 2 removed from the deep scan queue');
  });

  test('nothing to change says so; large numbers are grouped', () => {
    expect(describeStatusUpdate('Maybe', { ...base, matched_count: 3 })).toBe(
      '0 updated, 3 places already Maybe',
    );
    expect(
      describeStatusUpdate('New', { ...base, matched_count: 100_000, updated_count: 100_000 }),
    ).toBe('100,000 updated');
  });

  test('offline (the replica with the outbox): the counts are this computer’s, one sentence', () => {
    const counts = { ...base, matched_count: 12, updated_count: 12, queued_count: 10 };
    expect(describeStatusUpdate('Selected', counts, { offline: true })).toBe(
      '12 updated, 10 queued for deep scan, saved on this computer; will sync when online',
    );
    expect(describeStatusUpdate('Selected', counts, { offline: false })).toBe(
      '12 updated, 10 queued for deep scan',
    );
    // Nothing changed: nothing to sync, so no promise to.
    expect(describeStatusUpdate('Maybe', { ...base, matched_count: 3 }, { offline: true })).toBe(
      '0 updated, 3 places already Maybe',
    );
  });

  test('undo and queueing', () => {
    expect(describeUndo({ restored_count: 3, skipped_count: 1 })).toBe(
      'Undone: 3 places restored, 1 left as it is (changed since)',
    );
    expect(describeUndo({ restored_count: 1, skipped_count: 2 })).toBe(
      'Undone: 1 place restored, 2 left as they are (changed since)',
    );
    expect(
      describeQueueDeepScan({ queued_count: 4, skipped: 1, not_selected: 3, not_found: 2 }),
    ).toBe(
      '4 queued for deep scan, 1 already queued, running or scanned, 3 not Selected (only Selected places are scanned), 2 not found',
    );
  });
});
