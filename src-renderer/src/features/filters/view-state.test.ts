import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW_STATE, parseViewState, sameFilter, serializeViewState } from './view-state';

describe('filter and sort persistence', () => {
  it('a saved view comes back as it was', () => {
    const view = {
      filter: { status: 'Maybe' as const, deep_scan_status: 'none' as const, q: 'bakery' },
      sort: { field: 'rating' as const, direction: 'desc' as const },
    };
    expect(parseViewState(serializeViewState(view))).toEqual(view);
  });

  it('empty values are not stored', () => {
    expect(JSON.parse(serializeViewState({ filter: { q: '   ' }, sort: null }))).toEqual({
      filter: {},
      sort: null,
    });
  });

  it('nothing stored, or garbage, gives the defaults', () => {
    expect(parseViewState(null)).toEqual(DEFAULT_VIEW_STATE);
    expect(parseViewState('{not json')).toEqual(DEFAULT_VIEW_STATE);
    expect(parseViewState('42')).toEqual(DEFAULT_VIEW_STATE);
  });

  it('a status that no longer exists drops the filter but keeps a valid sort', () => {
    const stored = JSON.stringify({
      filter: { status: 'Rejected' },
      sort: { field: 'business_name', direction: 'asc' },
    });
    expect(parseViewState(stored)).toEqual({
      filter: {},
      sort: { field: 'business_name', direction: 'asc' },
    });
  });

  it('an unknown sort field is ignored', () => {
    const stored = JSON.stringify({
      filter: { q: 'x' },
      sort: { field: 'password', direction: 'asc' },
    });
    expect(parseViewState(stored)).toEqual({ filter: { q: 'x' }, sort: null });
  });

  it('filters compare after trimming free text', () => {
    expect(sameFilter({ q: ' cafe ' }, { q: 'cafe' })).toBe(true);
    expect(sameFilter({ status: 'New' }, {})).toBe(false);
  });
});
