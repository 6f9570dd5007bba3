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
 * After the rows were re-read: if the row the reviewer was on moved (rows above it left the
 * filtered view), focus follows it instead of staying on an index a different row slid under.
 * Answers the focused row as it is now.
 */
export function followCursor(
  api: GridApi<PlaceListItem>,
  cursorPlaceId: string | null,
  moveBrowserFocus: boolean,
): FocusedRow | null {
  const focused = focusedRow(api);
  if (!focused || !cursorPlaceId || focused.placeId === cursorPlaceId) return focused;
  const index = api.getRowNode(cursorPlaceId)?.rowIndex;
  if (index === null || index === undefined || index === focused.index) return focused;
  // AG Grid's setFocusedCell always takes the browser's focus: never from the search box.
  if (!moveBrowserFocus) return focused;
  focusRowAt(api, index);
  return { index, placeId: cursorPlaceId };
}
