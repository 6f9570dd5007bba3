import type { PlaceFilter } from '../../../src-shared/contract';
import { compactFilter, sameFilter, type ViewState } from '../features/filters/view-state';
import type { SortState } from '../features/grid/sort-param';
import {
  EMPTY_SELECTION,
  selectionReducer,
  type Selection,
  type SelectionAction,
} from '../features/selection/selection';

/**
 * What the reviewer has set up at their desk: filter, sort and selection. It lives above the
 * sign-in gate so an expired session loses none of it.
 */
export interface DeskState {
  view: ViewState;
  selection: Selection;
}

export type DeskAction =
  | { type: 'filter'; update: (filter: PlaceFilter) => PlaceFilter }
  | { type: 'sort'; sort: SortState | null }
  | { type: 'select'; action: SelectionAction };

export function deskReducer(state: DeskState, action: DeskAction): DeskState {
  switch (action.type) {
    case 'filter': {
      const filter = compactFilter(action.update(state.view.filter));
      if (sameFilter(filter, state.view.filter)) return state;
      // A new filter shows other rows: a selection made under the old one would act unseen.
      return { view: { ...state.view, filter }, selection: EMPTY_SELECTION };
    }
    case 'sort':
      return state.view.sort?.field === action.sort?.field &&
        state.view.sort?.direction === action.sort?.direction
        ? state
        : { ...state, view: { ...state.view, sort: action.sort } };
    case 'select': {
      const selection = selectionReducer(state.selection, action.action);
      return selection === state.selection ? state : { ...state, selection };
    }
  }
}
