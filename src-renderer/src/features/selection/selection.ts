import type { PlaceFilter } from '../../../../src-shared/contract';

/**
 * The app's own selection (the grid only mirrors it): either explicit place ids, or every row
 * matching a filter minus the rows the reviewer unticked. The infinite row model only knows the
 * rows it has loaded, so "all matching" can't live in the grid.
 */
export type Selection =
  | {
      mode: 'ids';
      ids: ReadonlySet<string>;
      /**
       * The reviewer ticked these rows on purpose (a checkbox, Space, ctrl/cmd- or shift-click,
       * Shift+arrows). A plain click ticks its row too, but only as a pointer: a status key then
       * decides the focused row, not the row clicked before moving on (see decide/key-target).
       */
      explicit: boolean;
    }
  | { mode: 'matching'; filter: PlaceFilter; total: number; excluded: ReadonlySet<string> };

export type SelectionAction =
  /** A checkbox, Space or ctrl/cmd-click set one row. */
  | { type: 'set'; id: string; selected: boolean }
  | { type: 'toggle'; id: string }
  /** A plain click: this row only. */
  | { type: 'only'; id: string }
  /** A shift-click range. */
  | { type: 'add'; ids: readonly string[] }
  | { type: 'selectAllMatching'; filter: PlaceFilter; total: number }
  /** The filter's total was re-counted (after an update or a refresh). */
  | { type: 'totalChanged'; total: number }
  | { type: 'clear' };

export const EMPTY_SELECTION: Selection = { mode: 'ids', ids: new Set(), explicit: false };

export function isSelected(selection: Selection, id: string): boolean {
  return selection.mode === 'ids' ? selection.ids.has(id) : !selection.excluded.has(id);
}

export function selectedCount(selection: Selection): number {
  return selection.mode === 'ids'
    ? selection.ids.size
    : Math.max(0, selection.total - selection.excluded.size);
}

export function selectionReducer(selection: Selection, action: SelectionAction): Selection {
  switch (action.type) {
    case 'set':
      return setOne(selection, action.id, action.selected);
    case 'toggle':
      return setOne(selection, action.id, !isSelected(selection, action.id));
    case 'only':
      return { mode: 'ids', ids: new Set([action.id]), explicit: false };
    case 'add':
      return addAll(selection, action.ids);
    case 'selectAllMatching':
      return { mode: 'matching', filter: action.filter, total: action.total, excluded: new Set() };
    case 'totalChanged':
      return selection.mode === 'matching' && selection.total !== action.total
        ? { ...selection, total: action.total }
        : selection;
    case 'clear':
      return selection.mode === 'ids' && selection.ids.size === 0 ? selection : EMPTY_SELECTION;
  }
}

function setOne(selection: Selection, id: string, selected: boolean): Selection {
  if (isSelected(selection, id) === selected) return selection;
  if (selection.mode === 'ids') {
    const ids = new Set(selection.ids);
    if (selected) ids.add(id);
    else ids.delete(id);
    return { mode: 'ids', ids, explicit: true };
  }
  const excluded = new Set(selection.excluded);
  if (selected) excluded.delete(id);
  else excluded.add(id);
  return { ...selection, excluded };
}

/** One copy of the set for the whole range (a copy per id is quadratic in the range's size). */
function addAll(selection: Selection, ids: readonly string[]): Selection {
  if (ids.every((id) => isSelected(selection, id))) {
    return selection.mode === 'ids' && !selection.explicit
      ? { ...selection, explicit: true }
      : selection;
  }
  if (selection.mode === 'ids') {
    return { mode: 'ids', ids: new Set([...selection.ids, ...ids]), explicit: true };
  }
  const excluded = new Set(selection.excluded);
  for (const id of ids) excluded.delete(id);
  return { ...selection, excluded };
}
