import { describe, expect, it } from 'vitest';
import { describePartialUpdate, describeUpdate } from './update-message';
import { NO_UPDATES } from './update-requests';

describe('update toast wording', () => {
  it('three new places selected: all updated and queued', () => {
    expect(
      describeUpdate(
        { ...NO_UPDATES, updated: 3, queued: 3 },
        { status: 'Selected', requestedIds: 3 },
      ),
    ).toBe('3 updated, 3 queued for deep scan');
  });

  it('says how many were already queued or scanned and how many were not found', () => {
    expect(
      describeUpdate(
        { updated: 12, queued: 10, dequeued: 0, notFound: ['gone'] },
        { status: 'Selected', requestedIds: 13 },
      ),
    ).toBe('12 updated, 10 queued for deep scan, 2 already queued or scanned, 1 not found');
  });

  it('re-selecting a failed scan: queued though the status did not change', () => {
    expect(
      describeUpdate(
        { ...NO_UPDATES, updated: 0, queued: 1 },
        { status: 'Selected', requestedIds: 1 },
      ),
    ).toBe('0 updated, 1 queued for deep scan, 1 already Selected');
  });

  it('changing your mind takes places off the scan queue', () => {
    expect(
      describeUpdate(
        { ...NO_UPDATES, updated: 5, dequeued: 2 },
        { status: 'Maybe', requestedIds: 6 },
      ),
    ).toBe('5 updated, 1 already Maybe, 2 taken off the scan queue');
  });

  it('for all rows matching a filter only the server counts are given', () => {
    expect(
      describeUpdate(
        { updated: 12345, queued: 12000, dequeued: 0, notFound: [] },
        { status: 'Selected', requestedIds: null },
      ),
    ).toBe('12,345 updated, 12,000 queued for deep scan');
  });

  it('a partly applied batch update says exactly what was saved', () => {
    expect(
      describePartialUpdate(
        { ...NO_UPDATES, updated: 10000 },
        { status: 'Archived', requestedIds: 10000 },
        1,
        2,
        'Cannot reach the server.',
      ),
    ).toBe(
      'Only 1 of 2 batches were saved (10,000 updated). The rest failed: Cannot reach the server.',
    );
  });
});
