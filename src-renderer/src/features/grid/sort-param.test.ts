import { describe, expect, it } from 'vitest';
import { sortStateFromModel, toSortParam } from './sort-param';

describe('sort parameter', () => {
  it('ascending is the bare field, descending adds :desc', () => {
    expect(toSortParam({ field: 'business_name', direction: 'asc' })).toBe('business_name');
    expect(toSortParam({ field: 'updated_at', direction: 'desc' })).toBe('updated_at:desc');
  });

  it('no sort sends no parameter', () => {
    expect(toSortParam(null)).toBeUndefined();
  });

  it('the grid model maps by column id and skips unsortable columns', () => {
    expect(
      sortStateFromModel([
        { colId: 'ag-Grid-SelectionColumn', sort: 'asc' },
        { colId: 'reviews_count', sort: 'desc' },
      ]),
    ).toEqual({
      field: 'reviews_count',
      direction: 'desc',
    });
    expect(sortStateFromModel([{ colId: 'rating', sort: null }])).toBeNull();
    expect(sortStateFromModel([])).toBeNull();
  });
});
