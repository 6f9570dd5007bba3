import type { GridApi } from 'ag-grid-community';
import type { PlaceListItem } from '../../../../src-shared/contract';

/** The column focus lands on when the app moves it (the one a reviewer reads a row by). */
const HOME_COLUMN = 'business_name';

/** The focused row: its index, and its place once its block has loaded (null before). */
export interface FocusedRow {
  index: number;
  placeId: string | null;
}

export function focusedRow(api: GridApi<PlaceListItem>): FocusedRow | null {
  const cell = api.getFocusedCell();
  if (!cell || cell.rowPinned) return null;
  const placeId = api.getDisplayedRowAtIndex(cell.rowIndex)?.data?.place_id ?? null;
  return { index: cell.rowIndex, placeId };
}

/** Whether the keyboard focus is inside this grid (not in the search box, say). */
export function gridHasFocus(host: Element | null): boolean {
  return host !== null && host.contains(document.activeElement);
}

/** Moves the focus to a row (clamped to the rows there are), keeping the focused column. */
export function focusRowAt(api: GridApi<PlaceListItem>, index: number): number | null {
  const count = api.getDisplayedRowCount();
  if (count === 0) return null;
  const target = Math.max(0, Math.min(count - 1, index));
  const column = api.getFocusedCell()?.column ?? HOME_COLUMN;
  api.ensureIndexVisible(target);
  api.setFocusedCell(target, column);
  return target;
}

/**
 * Where the cursor (the row the reviewer is on) is after the rows changed (re-read, rows above
 * left the filtered view): if another row slid under the focused index, the focus goes after
 * the cursor's row (`moveTo`). The grid reports focus changes late (its events are async), so a
 * focus on another index than the cursor's means the reviewer moved on: the cursor takes it, and
 * nothing pulls the focus back.
 */
export function cursorAfterRowsChanged(
  cursor: FocusedRow | null,
  focused: FocusedRow,
  indexOf: (placeId: string) => number | null,
): { cursor: FocusedRow; moveTo: number | null } {
  if (!cursor || cursor.index !== focused.index || !cursor.placeId) {
    return { cursor: focused, moveTo: null };
  }
  if (focused.placeId === cursor.placeId) return { cursor: focused, moveTo: null };
  const index = indexOf(cursor.placeId);
  if (index === null || index === focused.index) return { cursor: focused, moveTo: null };
  return { cursor: { index, placeId: cursor.placeId }, moveTo: index };
}

/**
 * A focus event arrived (late: the grid's events are async). It counts only if it still
 * describes the focus; an event for a row the keys have already left changes nothing.
 */
export function cursorAfterFocusEvent(
  cursor: FocusedRow | null,
  eventIndex: number | null,
  focused: FocusedRow | null,
): FocusedRow | null {
  if (eventIndex === null) return focused;
  if (!focused || focused.index !== eventIndex) return cursor;
  return focused;
}

/**
 * After the rows changed: moves the focus after the cursor's row if another row slid under it
 * (only if the grid has the browser's focus: AG Grid's setFocusedCell always takes it, and never
 * from the search box). Answers the new cursor.
 */
export function followCursor(
  api: GridApi<PlaceListItem>,
  cursor: FocusedRow | null,
  moveBrowserFocus: boolean,
): FocusedRow | null {
  const focused = focusedRow(api);
  if (!focused) return null;
  const next = cursorAfterRowsChanged(
    cursor,
    focused,
    (id) => api.getRowNode(id)?.rowIndex ?? null,
  );
  if (next.moveTo === null) return next.cursor;
  if (!moveBrowserFocus) return focused;
  focusRowAt(api, next.moveTo);
  return next.cursor;
}
