import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  selectionReducer,
  type Selection,
  type SelectionAction,
} from '../selection/selection';
import { keyTarget } from './key-target';

const run = (...actions: SelectionAction[]): Selection =>
  actions.reduce(selectionReducer, EMPTY_SELECTION);

describe('which rows a status key decides', () => {
  it('the focused row when nothing is checked', () => {
    expect(keyTarget(EMPTY_SELECTION, 'row-6')).toEqual({ kind: 'focused', placeId: 'row-6' });
  });

  it('the focused row, not a row ticked by a plain click before arrowing on', () => {
    const clicked = run({ type: 'only', id: 'row-5' });
    expect(keyTarget(clicked, 'row-6')).toEqual({ kind: 'focused', placeId: 'row-6' });
  });

  it('the checked rows when the reviewer checked some on purpose', () => {
    for (const action of [
      { type: 'set', id: 'row-5', selected: true },
      { type: 'toggle', id: 'row-5' },
      { type: 'add', ids: ['row-5', 'row-7'] },
    ] as const) {
      const checked = run(action);
      expect(keyTarget(checked, 'row-6')).toEqual({ kind: 'checked', selection: checked });
    }
  });

  it('a ctrl-click after a plain click makes both rows a choice', () => {
    const both = run({ type: 'only', id: 'a' }, { type: 'toggle', id: 'b' });
    expect(keyTarget(both, 'c').kind).toBe('checked');
  });

  it('every row matching the filter once selected so', () => {
    const all = run({ type: 'selectAllMatching', filter: {}, total: 10 });
    expect(keyTarget(all, null).kind).toBe('checked');
  });

  it('nothing when nothing is checked and no row has focus', () => {
    expect(keyTarget(run({ type: 'only', id: 'a' }), null)).toEqual({ kind: 'none' });
    expect(keyTarget(EMPTY_SELECTION, null)).toEqual({ kind: 'none' });
  });

  it('unticking the last explicit row leaves the focused row', () => {
    const none = run({ type: 'toggle', id: 'a' }, { type: 'toggle', id: 'a' });
    expect(keyTarget(none, 'f')).toEqual({ kind: 'focused', placeId: 'f' });
  });
});
