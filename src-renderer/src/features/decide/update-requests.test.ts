import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, selectionReducer } from '../selection/selection';
import { addUpdateResult, buildUpdateRequests, NO_UPDATES } from './update-requests';

describe('status update requests', () => {
  it('explicit ids go as one place_ids request', () => {
    const selection = selectionReducer(EMPTY_SELECTION, { type: 'add', ids: ['a', 'b', 'c'] });
    expect(buildUpdateRequests(selection, 'Selected')).toEqual([
      { place_ids: ['a', 'b', 'c'], status: 'Selected' },
    ]);
  });

  it('more ids than one request allows are split into batches', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `p${i}`);
    const selection = selectionReducer(EMPTY_SELECTION, { type: 'add', ids });
    const requests = buildUpdateRequests(selection, 'Maybe', 10);
    expect(requests.map((r) => r.place_ids?.length)).toEqual([10, 10, 5]);
    expect(requests.flatMap((r) => r.place_ids)).toEqual(ids);
  });

  it('all matching goes as the filter form with the exclusions', () => {
    let selection = selectionReducer(EMPTY_SELECTION, {
      type: 'selectAllMatching',
      filter: { status: 'New', q: '  cafe ', deep_scan_status: 'none' },
      total: 50_000,
    });
    selection = selectionReducer(selection, { type: 'set', id: 'x', selected: false });
    selection = selectionReducer(selection, { type: 'set', id: 'y', selected: false });
    expect(buildUpdateRequests(selection, 'Selected')).toEqual([
      {
        filter: { status: 'New', deep_scan_status: 'none', q: 'cafe' },
        exclude_ids: ['x', 'y'],
        status: 'Selected',
      },
    ]);
  });

  it('all matching without exclusions sends no exclude_ids', () => {
    const selection = selectionReducer(EMPTY_SELECTION, {
      type: 'selectAllMatching',
      filter: {},
      total: 3,
    });
    expect(buildUpdateRequests(selection, 'Archived')).toEqual([
      { filter: {}, status: 'Archived' },
    ]);
  });

  it('batch results add up', () => {
    const result = (n: number, notFound: string[]) => ({
      message: '',
      matched_count: n,
      updated_count: n,
      queued_count: n - 1,
      dequeued_count: 0,
      already_queued_count: 1,
      already_scanned_count: 0,
      not_found: notFound,
      undo_token: null,
    });
    const totals = [result(2, ['a']), result(3, ['b', 'c'])].reduce(addUpdateResult, NO_UPDATES);
    expect(totals).toEqual({
      ...NO_UPDATES,
      matched_count: 5,
      updated_count: 5,
      queued_count: 3,
      already_queued_count: 2,
      not_found_count: 3,
    });
  });
});
