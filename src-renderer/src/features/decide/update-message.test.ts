import { describe, expect, it } from 'vitest';
import { SAVED_ON_THIS_COMPUTER } from '../../../../src-shared/messages';
import {
  describeCompletedRetry,
  describePartialUpdate,
  describeUpdate,
  savedOnThisComputer,
} from './update-message';
import { NO_UPDATES } from './update-requests';

describe('update toast wording', () => {
  it('three new places selected: all updated and queued', () => {
    expect(
      describeUpdate(
        { ...NO_UPDATES, matched_count: 3, updated_count: 3, queued_count: 3 },
        'Selected',
      ),
    ).toBe('3 updated, 3 queued for deep scan');
  });

  it('says how many were already queued or scanned and how many were not found', () => {
    expect(
      describeUpdate(
        {
          ...NO_UPDATES,
          matched_count: 12,
          updated_count: 12,
          queued_count: 10,
          already_scanned_count: 2,
          not_found_count: 1,
        },
        'Selected',
      ),
    ).toBe('12 updated, 10 queued for deep scan, 2 already scanned, 1 not found');
  });

  it('re-selecting a failed scan: queued though the status did not change', () => {
    expect(describeUpdate({ ...NO_UPDATES, matched_count: 1, queued_count: 1 }, 'Selected')).toBe(
      '0 updated, 1 queued for deep scan',
    );
  });

  it('changing your mind takes places off the scan queue', () => {
    expect(
      describeUpdate(
        { ...NO_UPDATES, matched_count: 6, updated_count: 5, dequeued_count: 2 },
        'Maybe',
      ),
    ).toBe('5 updated, 2 removed from the deep scan queue');
  });

  it('a partly applied batch update says exactly what was saved', () => {
    expect(
      describePartialUpdate(
        { ...NO_UPDATES, matched_count: 10000, updated_count: 10000 },
        'Archived',
        1,
        2,
        2500,
        'Cannot reach the server.',
      ),
    ).toBe(
      'Only 1 of 2 batches were saved (10,000 updated). The rest failed: Cannot reach the server. ' +
        'Retry sends only the 2,500 places not saved.',
    );
  });

  it('a retry that saved the rest speaks for the whole decision', () => {
    expect(
      describeCompletedRetry({ ...NO_UPDATES, matched_count: 25, updated_count: 25 }, 'Maybe', 3),
    ).toBe('All 3 batches saved: 25 updated');
  });

  it('a retry of a batch the server had saved before its answer was lost: already, not missing', () => {
    expect(
      describeCompletedRetry({ ...NO_UPDATES, matched_count: 3, updated_count: 2 }, 'Maybe', 2),
    ).toBe('All 2 batches saved: 2 updated, 1 already Maybe');
  });

  it('offline (team mode, on this computer): the counts are this computer’s and will sync', () => {
    expect(
      describeUpdate({ ...NO_UPDATES, matched_count: 2, updated_count: 2 }, 'Maybe', {
        offline: true,
      }),
    ).toBe(`2 updated, ${SAVED_ON_THIS_COMPUTER}`);
    // Nothing changed: nothing to sync, no promise.
    expect(describeUpdate({ ...NO_UPDATES, matched_count: 2 }, 'Maybe', { offline: true })).toBe(
      '0 updated, 2 places already Maybe',
    );
  });

  it('offline, finished by a retry: said last, after what was already so', () => {
    expect(
      describeCompletedRetry({ ...NO_UPDATES, matched_count: 3, updated_count: 2 }, 'Maybe', 2, {
        offline: true,
      }),
    ).toBe(`All 2 batches saved: 2 updated, 1 already Maybe, ${SAVED_ON_THIS_COMPUTER}`);
  });

  it('knows an offline save by the server’s sentence', () => {
    expect(savedOnThisComputer(`1 updated, ${SAVED_ON_THIS_COMPUTER}`)).toBe(true);
    expect(savedOnThisComputer('1 updated')).toBe(false);
  });
});
