import { PLACE_STATUSES, type PlaceStatus } from '../../../../src-shared/domain';

/** One key per status, in the order of the enum: 1 New, 2 Selected, 3 Maybe, 4 Not a Fit, 5 Archived. */
export const STATUS_SHORTCUTS: readonly { key: string; status: PlaceStatus }[] = PLACE_STATUSES.map(
  (status, index) => ({ key: String(index + 1), status }),
);

export const HELP_KEY = '?';

/** Ctrl+Z, or ⌘Z on a Mac: undo the last status update, as anywhere else. */
export const UNDO_KEYS = 'Ctrl/⌘ + Z';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

/** The status a key press decides, or null (modified keys belong to the browser and the grid). */
export function statusForKey(press: KeyPress): PlaceStatus | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  return STATUS_SHORTCUTS.find((shortcut) => shortcut.key === press.key)?.status ?? null;
}

export function isHelpKey(press: KeyPress): boolean {
  return press.key === HELP_KEY && !press.ctrlKey && !press.metaKey && !press.altKey;
}

export function isUndoKey(press: KeyPress): boolean {
  return (
    (press.ctrlKey || press.metaKey) &&
    !press.altKey &&
    !press.shiftKey &&
    press.key.toLowerCase() === 'z'
  );
}
