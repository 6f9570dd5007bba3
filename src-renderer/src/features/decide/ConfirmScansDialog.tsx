import { formatCount } from '../../../../src-shared/messages';
import { ModalDialog } from '../feedback/ModalDialog';

/** How many deep scans an update may queue without asking (each is a paid Places API call). */
export const SCANS_WITHOUT_ASKING = 100;

interface ConfirmScansDialogProps {
  /** The scans the update would queue; null: closed. */
  scans: number | null;
  places: number;
  /** What they will cost and when they can run (scanBudgetNotes); one paragraph each. */
  notes: readonly string[];
  onAnswer(queue: boolean): void;
}

/** Asks before an update queues more than SCANS_WITHOUT_ASKING deep scans. Cancel has focus. */
export function ConfirmScansDialog({ scans, places, notes, onAnswer }: ConfirmScansDialogProps) {
  return (
    <ModalDialog
      open={scans !== null}
      onClose={() => onAnswer(false)}
      labelledBy="confirm-scans-title"
      className="confirm-scans"
    >
      <h2 id="confirm-scans-title">Queue {formatCount(scans ?? 0)} deep scans?</h2>
      <p>
        Setting {formatCount(places)} {places === 1 ? 'place' : 'places'} to Selected queues{' '}
        {formatCount(scans ?? 0)} deep scans. Each scan is a paid Places API call.
      </p>
      {notes.map((note) => (
        <p key={note}>{note}</p>
      ))}
      <form method="dialog" className="dialog-actions">
        <button type="submit" data-autofocus>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => onAnswer(true)}>
          Queue {formatCount(scans ?? 0)} scans
        </button>
      </form>
    </ModalDialog>
  );
}
