import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, selectedCount } from '../features/selection/selection';
import { deskReducer, type DeskState } from './desk-state';

const start: DeskState = {
  view: { filter: { status: 'New' }, sort: { field: 'rating', direction: 'desc' } },
  selection: EMPTY_SELECTION,
};
const withSelection = deskReducer(start, {
  type: 'select',
  action: { type: 'add', ids: ['a', 'b', 'c'] },
});

describe('the reviewer desk', () => {
  it('sorting keeps the selection', () => {
    const next = deskReducer(withSelection, {
      type: 'sort',
      sort: { field: 'business_name', direction: 'asc' },
    });
    expect(selectedCount(next.selection)).toBe(3);
    expect(next.view.sort).toEqual({ field: 'business_name', direction: 'asc' });
  });

  it('a different filter clears the selection', () => {
    const next = deskReducer(withSelection, {
      type: 'filter',
      update: (f) => ({ ...f, q: 'bakery' }),
    });
    expect(next.view.filter).toEqual({ status: 'New', q: 'bakery' });
    expect(selectedCount(next.selection)).toBe(0);
  });

  it('the same filter again (free text with spaces) changes nothing', () => {
    const next = deskReducer(withSelection, {
      type: 'filter',
      update: (f) => ({ ...f, q: '   ' }),
    });
    expect(next).toBe(withSelection);
  });
});
