import { describe, expect, test } from 'vitest';
import { describeQueueDeepScan, describeStatusUpdate } from './messages';

const base = {
  status: 'Selected',
  matched: 0,
  updated_count: 0,
  queued_count: 0,
  dequeued_count: 0,
  already_scanned: 0,
  already_in_queue: 0,
  not_found: 0,
};

describe('the update sentences', () => {
  test('the example from the workflow: exact counts in a fixed order', () => {
    expect(
      describeStatusUpdate({
        ...base,
        matched: 12,
        updated_count: 12,
        queued_count: 10,
        already_scanned: 2,
        not_found: 1,
      }),
    ).toBe('12 updated, 10 queued for deep scan, 2 already scanned, 1 not found');
  });

  test('moving away from Selected reports what left the queue', () => {
    expect(
      describeStatusUpdate({
        ...base,
        status: 'Maybe',
        matched: 5,
        updated_count: 5,
        dequeued_count: 2,
      }),
    ).toBe('5 updated, 2 removed from the deep scan queue');
  });

  test('nothing to change says so', () => {
    expect(describeStatusUpdate({ ...base, status: 'Maybe', matched: 3 })).toBe(
      '0 updated, 3 places already Maybe',
    );
  });

  test('queueing for a deep scan', () => {
    expect(describeQueueDeepScan({ queued_count: 4, skipped: 1, not_found: 2 })).toBe(
      '4 queued for deep scan, 1 already queued, running or scanned, 2 not found',
    );
  });
});
