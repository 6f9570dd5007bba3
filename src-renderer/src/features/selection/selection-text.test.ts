import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, selectionReducer, type Selection } from './selection';
import { selectionTexts } from './selection-text';

const ids = (...placeIds: string[]): Selection => ({
  mode: 'ids',
  ids: new Set(placeIds),
  explicit: true,
});
const matching = (total: number, excluded: string[] = []): Selection => ({
  mode: 'matching',
  filter: {},
  total,
  excluded: new Set(excluded),
});

describe('what the selection banner says', () => {
  it('nothing selected: the count, and the link whole and short, both with the number', () => {
    expect(selectionTexts(EMPTY_SELECTION, 3000)).toEqual({
      status: 'No rows selected.',
      statusShort: null,
      selectAll: {
        full: 'Select all 3,000 rows matching this filter',
        short: 'Select all 3,000',
      },
    });
  });

  it('some selected: their count; the link while more rows match', () => {
    const texts = selectionTexts(ids('a', 'b'), 1_234_567);
    expect(texts.status).toBe('2 selected.');
    expect(texts.selectAll?.short).toBe('Select all 1,234,567');
    // The short form is the start of the whole one (the button's name holds what it shows).
    expect(texts.selectAll?.full.startsWith(texts.selectAll.short + ' ')).toBe(true);
  });

  it('no link when every matching row is selected already, or before the rows are counted', () => {
    expect(selectionTexts(ids('a', 'b'), 2).selectAll).toBeNull();
    expect(selectionTexts(EMPTY_SELECTION, null).selectAll).toBeNull();
    expect(selectionTexts(EMPTY_SELECTION, 0).selectAll).toBeNull();
  });

  it('all matching: the sentence whole, and short with the same number', () => {
    const all = selectionReducer(EMPTY_SELECTION, {
      type: 'selectAllMatching',
      filter: {},
      total: 3000,
    });
    expect(selectionTexts(all, 3000)).toEqual({
      status: 'All 3,000 rows matching this filter are selected.',
      statusShort: 'All 3,000 selected.',
      selectAll: null,
    });
  });

  it('all matching but some unticked: both forms say how many are left out', () => {
    const texts = selectionTexts(matching(3000, ['a', 'b']), 3000);
    expect(texts.status).toBe('All 2,998 rows matching this filter are selected (2 unticked).');
    expect(texts.statusShort).toBe('All 2,998 selected (2 unticked).');
  });
});
