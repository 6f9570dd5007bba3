import { UNDO_WINDOW_SECONDS } from '../../../../src-shared/domain';
import { ModalDialog } from '../feedback/ModalDialog';
import { HELP_KEY, STATUS_SHORTCUTS, UNDO_KEYS } from './shortcuts';

interface ShortcutOverlayProps {
  open: boolean;
  onClose(): void;
}

const GRID_KEYS: [keys: string, what: string][] = [
  ['↑ ↓ ← →', 'Move between rows and cells'],
  ['Space', 'Tick or untick the focused row'],
  ['Click', 'Select only that row'],
  ['Ctrl/⌘ + click', 'Add or remove one row'],
  ['Shift + click', 'Select the range from the last row you touched'],
];

/** The shortcut list, in a modal dialog: Escape closes it and focus goes back where it was. */
export function ShortcutOverlay({ open, onClose }: ShortcutOverlayProps) {
  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      labelledBy="shortcut-title"
      className="shortcut-overlay"
    >
      <h2 id="shortcut-title">Keyboard shortcuts</h2>
      <p>Status keys apply to the selected rows, or to the focused row when none is selected.</p>
      <table>
        <tbody>
          {STATUS_SHORTCUTS.map(({ key, status }) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>Set status to {status}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>{UNDO_KEYS}</kbd>
            </td>
            <td>Undo your last status update (within {UNDO_WINDOW_SECONDS} seconds)</td>
          </tr>
          {GRID_KEYS.map(([keys, what]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>{HELP_KEY}</kbd>
            </td>
            <td>Show this list</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>Close this list</td>
          </tr>
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </ModalDialog>
  );
}
