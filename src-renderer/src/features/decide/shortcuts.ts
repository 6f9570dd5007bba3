import {
  PLACE_STATUSES,
  UNDO_STACK_DEPTH,
  UNDO_WINDOW_SECONDS,
  type PlaceStatus,
} from '../../../../src-shared/domain';

/** One key per status, in the order of the enum: 1 New, 2 Selected, 3 Maybe, 4 Not a Fit, 5 Archived. */
export const STATUS_SHORTCUTS: readonly { key: string; status: PlaceStatus }[] = PLACE_STATUSES.map(
  (status, index) => ({ key: String(index + 1), status }),
);

/** The rule the list opens with (the overlay and the README say it the same way). */
export const SHORTCUT_RULE =
  'A status key acts on the rows you checked, or on the focused row when none is checked, then moves to the next row; after a decision the checks are cleared.';

/**
 * Every shortcut, once: the `?` overlay shows this table and the README carries the same rows
 * (shortcuts.test.ts reads the README and compares).
 */
export const SHORTCUT_LIST: readonly { keys: string; what: string }[] = [
  ...STATUS_SHORTCUTS.map(({ key, status }) => ({ keys: key, what: `Set status to ${status}` })),
  {
    keys: 'z, Ctrl+Z, ⌘Z',
    what: `Undo your last decision; again for the one before (the last ${UNDO_STACK_DEPTH}, within ${UNDO_WINDOW_SECONDS} seconds)`,
  },
  { keys: 'j, ↓', what: 'Next row' },
  { keys: 'k, ↑', what: 'Previous row' },
  { keys: 'Shift+↓, Shift+↑', what: 'Check this row and the next (or previous) one' },
  { keys: 'Space', what: 'Check or uncheck the focused row' },
  { keys: 'Ctrl+A, ⌘A', what: 'Select all rows matching the filter' },
  { keys: 'Esc', what: 'Clear the checks (in a dialog: close it)' },
  { keys: '/', what: 'Search' },
  { keys: 'Tab', what: 'Into the grid, and out of it: the grid is one stop' },
  { keys: 'Click', what: 'Focus that row (and select only it for the Update button)' },
  { keys: 'Ctrl+click, ⌘click', what: 'Check or uncheck one row' },
  { keys: 'Shift+click', what: 'Check the range from the last row you touched' },
  { keys: 'Ctrl+B, ⌘B', what: 'Hide or show the details panel (its width goes to the grid)' },
  { keys: 'Enter', what: 'On a row, with the details panel hidden: show it' },
  { keys: 'Ctrl+comma, ⌘comma', what: 'Settings' },
  { keys: '?', what: 'Show this list' },
];

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
}

/** What a key press outside text fields asks of the desk (null: not ours, let it through). */
export type KeyAction =
  | { kind: 'status'; status: PlaceStatus }
  | { kind: 'undo' }
  | { kind: 'help' }
  | { kind: 'search' }
  | { kind: 'move'; delta: 1 | -1 }
  | { kind: 'selectAll' }
  | { kind: 'clear' }
  /** Enter: the focused row's details (the panel shown again if it was hidden). */
  | { kind: 'details' };

export function keyAction(press: KeyPress): KeyAction | null {
  const command = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  const key = press.key;
  if (command) {
    if (press.shiftKey) return null;
    if (key.toLowerCase() === 'z') return { kind: 'undo' };
    if (key.toLowerCase() === 'a') return { kind: 'selectAll' };
    return null;
  }
  if (key === '?') return { kind: 'help' };
  if (key === 'Escape') return { kind: 'clear' };
  if (press.shiftKey) return null;
  if (key === 'z') return { kind: 'undo' };
  if (key === '/') return { kind: 'search' };
  if (key === 'j') return { kind: 'move', delta: 1 };
  if (key === 'k') return { kind: 'move', delta: -1 };
  if (key === 'Enter') return { kind: 'details' };
  const status = STATUS_SHORTCUTS.find((shortcut) => shortcut.key === key)?.status;
  return status ? { kind: 'status', status } : null;
}

/** The status a key press decides, or null. */
export function statusForKey(press: KeyPress): PlaceStatus | null {
  const action = keyAction(press);
  return action?.kind === 'status' ? action.status : null;
}

export function isHelpKey(press: KeyPress): boolean {
  return keyAction(press)?.kind === 'help';
}

export function isUndoKey(press: KeyPress): boolean {
  return keyAction(press)?.kind === 'undo';
}

/**
 * Ctrl (⌘ on a Mac) and `key`, without Alt or Shift: the workspace's command keys, which are not
 * keyAction's because they work from the search box too (they mean nothing to a text field),
 * only not over a dialog (useCommandKey).
 */
function isCommandKey(press: KeyPress, key: string): boolean {
  return (
    (press.ctrlKey || press.metaKey) &&
    !press.altKey &&
    !press.shiftKey &&
    press.key.toLowerCase() === key
  );
}

/** Ctrl+, (⌘, on a Mac) opens the settings, as in most desktop apps. */
export function isSettingsKey(press: KeyPress): boolean {
  return isCommandKey(press, ',');
}

/**
 * Ctrl+B (⌘B on a Mac) hides or shows the side panel. B, not \: a backslash takes AltGr on many
 * European keyboards, and AltGr reads as Ctrl+Alt.
 */
export function isSidePanelKey(press: KeyPress): boolean {
  return isCommandKey(press, 'b');
}
