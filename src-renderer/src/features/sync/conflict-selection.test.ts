import { describe, expect, it } from 'vitest';
import type { SyncConflict } from '../../../../src-shared/contract';
import {
  bulkLabel,
  describeResolved,
  headerState,
  keepListed,
  resolveRequests,
  toggleAll,
  toggleOne,
} from './conflict-selection';

const conflict = (placeId: string): SyncConflict => ({
  place_id: placeId,
  mine: 'Selected',
  theirs: 'Archived',
  theirs_by: 'colleague',
  theirs_at: '2025-03-10T11:00:00Z',
  theirs_deep_scan_status: null,
  business_name: `Business ${placeId}`,
  decided_at: '2025-03-10T10:00:00Z',
  mutation_id: '0195f0c4-9b1e-7000-8000-000000000001',
});
const items = ['a', 'b', 'c'].map(conflict);

describe('ticking conflicts', () => {
  it('one at a time, on and off', () => {
    const one = toggleOne(new Set(), 'b');
    expect([...one]).toEqual(['b']);
    expect([...toggleOne(one, 'b')]).toEqual([]);
  });

  it('the header box ticks all, or clears when all are ticked, and shows mixed', () => {
    expect(headerState(new Set(), items)).toBe('none');
    expect(headerState(new Set(['a']), items)).toBe('some');
    const all = toggleAll(new Set(['a']), items);
    expect([...all].sort()).toEqual(['a', 'b', 'c']);
    expect(headerState(all, items)).toBe('all');
    expect([...toggleAll(all, items)]).toEqual([]);
    expect(headerState(new Set(), [])).toBe('none');
    expect([...toggleAll(new Set(), [])]).toEqual([]);
  });

  it('after a refresh, resolved conflicts drop out of the ticks', () => {
    expect([...keepListed(new Set(['a', 'b', 'gone']), items)].sort()).toEqual(['a', 'b']);
  });

  it('bulk buttons name the side and the count', () => {
    expect(bulkLabel('mine', 3)).toBe('Keep mine for 3');
    expect(bulkLabel('theirs', 1200)).toBe('Accept theirs for 1,200');
  });
});

describe('what resolving sends', () => {
  it('one request for a few, each id once', () => {
    expect(resolveRequests(['a', 'b', 'a'], 'theirs')).toEqual([
      { place_ids: ['a', 'b'], keep: 'theirs' },
    ]);
  });

  it('10,000 ids per request at most', () => {
    const ids = Array.from({ length: 25_001 }, (_, i) => `p${i}`);
    const requests = resolveRequests(ids, 'mine');
    expect(requests.map((r) => r.place_ids.length)).toEqual([10_000, 10_000, 5_001]);
    expect(requests.every((r) => r.keep === 'mine')).toBe(true);
    expect(requests.flatMap((r) => r.place_ids)).toEqual(ids);
  });

  it('nothing to send for nothing ticked', () => {
    expect(resolveRequests([], 'mine')).toEqual([]);
  });
});

describe('the result sentence', () => {
  it('one request: the server’s own message', () => {
    expect(
      describeResolved(
        [{ message: '2 conflicts resolved: kept yours', resolved_count: 2, not_found: [] }],
        'mine',
      ),
    ).toBe('2 conflicts resolved: kept yours');
  });

  it('several requests: the summed counts', () => {
    expect(
      describeResolved(
        [
          { message: 'x', resolved_count: 10_000, not_found: [] },
          { message: 'y', resolved_count: 4, not_found: ['q'] },
        ],
        'theirs',
      ),
    ).toBe('10,004 conflicts resolved (accepted theirs), 1 no longer in conflict');
  });
});
