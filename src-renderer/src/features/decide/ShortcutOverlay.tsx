import { ModalDialog } from '../feedback/ModalDialog';
import { SHORTCUT_LIST, SHORTCUT_RULE } from './shortcuts';

interface ShortcutOverlayProps {
  open: boolean;
  onClose(): void;
}

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
      <p>{SHORTCUT_RULE}</p>
      <div className="shortcut-list">
        <table>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUT_LIST.map(({ keys, what }) => (
              <tr key={keys}>
                <td>
                  {keys.split(', ').map((key, i) => (
                    <span key={key}>
                      {i > 0 ? ' or ' : null}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="dialog">
        <button type="submit" data-autofocus>
          Close
        </button>
      </form>
    </ModalDialog>
  );
}
