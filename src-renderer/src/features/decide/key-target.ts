import { selectedCount, type Selection } from '../selection/selection';

/** What a status key decides. */
export type KeyTarget =
  /** Rows the reviewer ticked on purpose (or every row matching the filter). */
  | { kind: 'checked'; selection: Selection }
  /** The row under the keyboard focus: the row being read. */
  | { kind: 'focused'; placeId: string }
  | { kind: 'none' };

/**
 * The rule of the triage loop: a status key acts on the rows the reviewer checked explicitly if
 * there are any, otherwise on the focused row. A row ticked only by a plain click is a pointer,
 * not a choice: once the reviewer arrows on, the key must decide the row they are reading.
 */
export function keyTarget(selection: Selection, focusedPlaceId: string | null): KeyTarget {
  const checked =
    selectedCount(selection) > 0 && (selection.mode === 'matching' || selection.explicit);
  if (checked) return { kind: 'checked', selection };
  if (focusedPlaceId) return { kind: 'focused', placeId: focusedPlaceId };
  return { kind: 'none' };
}
