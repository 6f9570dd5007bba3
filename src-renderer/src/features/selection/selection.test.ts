import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  isSelected,
  selectedCount,
  selectionReducer,
  type Selection,
  type SelectionAction,
} from './selection';

const run = (...actions: SelectionAction[]): Selection =>
  actions.reduce(selectionReducer, EMPTY_SELECTION);

describe('selection', () => {
  it('a plain click selects only that row', () => {
    const selection = run({ type: 'add', ids: ['a', 'b'] }, { type: 'only', id: 'c' });
    expect([...(selection.mode === 'ids' ? selection.ids : [])]).toEqual(['c']);
  });

  it('ctrl-click toggles one row and keeps the others', () => {
    const selection = run(
      { type: 'only', id: 'a' },
      { type: 'toggle', id: 'b' },
      { type: 'toggle', id: 'a' },
    );
    expect(isSelected(selection, 'a')).toBe(false);
    expect(isSelected(selection, 'b')).toBe(true);
    expect(selectedCount(selection)).toBe(1);
  });

  it('a shift-click range adds rows without duplicates', () => {
    const selection = run({ type: 'add', ids: ['a', 'b'] }, { type: 'add', ids: ['b', 'c', 'd'] });
    expect(selectedCount(selection)).toBe(4);
  });

  it('selecting all matching counts the filter total', () => {
    const selection = run({ type: 'selectAllMatching', filter: { status: 'New' }, total: 250 });
    expect(selection.mode).toBe('matching');
    expect(selectedCount(selection)).toBe(250);
    expect(isSelected(selection, 'never-loaded')).toBe(true);
  });

  it('unticking rows while all matching are selected records exclusions', () => {
    const selection = run(
      { type: 'selectAllMatching', filter: {}, total: 100 },
      { type: 'set', id: 'x', selected: false },
      { type: 'toggle', id: 'y' },
      { type: 'set', id: 'x', selected: false },
    );
    expect(selection.mode === 'matching' && [...selection.excluded].sort()).toEqual(['x', 'y']);
    expect(selectedCount(selection)).toBe(98);
    expect(isSelected(selection, 'x')).toBe(false);
  });

  it('ticking an excluded row again removes the exclusion', () => {
    const selection = run(
      { type: 'selectAllMatching', filter: {}, total: 10 },
      { type: 'set', id: 'x', selected: false },
      { type: 'set', id: 'x', selected: true },
    );
    expect(selectedCount(selection)).toBe(10);
  });

  it('a new total for the filter updates the count, and ids mode ignores it', () => {
    expect(
      selectedCount(
        run(
          { type: 'selectAllMatching', filter: {}, total: 10 },
          { type: 'totalChanged', total: 7 },
        ),
      ),
    ).toBe(7);
    expect(
      selectedCount(run({ type: 'add', ids: ['a'] }, { type: 'totalChanged', total: 7 })),
    ).toBe(1);
  });

  it('clear selection leaves nothing selected', () => {
    const selection = run({ type: 'selectAllMatching', filter: {}, total: 10 }, { type: 'clear' });
    expect(selection).toEqual(EMPTY_SELECTION);
    expect(selectedCount(selection)).toBe(0);
  });

  it('unchanged actions keep the same object so React skips a render', () => {
    const selection = run({ type: 'add', ids: ['a'] });
    expect(selectionReducer(selection, { type: 'set', id: 'a', selected: true })).toBe(selection);
    expect(selectionReducer(EMPTY_SELECTION, { type: 'clear' })).toBe(EMPTY_SELECTION);
  });
});
