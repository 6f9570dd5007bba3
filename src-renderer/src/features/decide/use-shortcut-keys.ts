import { useEffect } from 'react';
import { useLatest } from '../../app/use-latest';
import { dialogIsOpen } from '../feedback/ModalDialog';
import { keyAction, type KeyAction, type KeyPress } from './shortcuts';

interface ShortcutHandlers {
  enabled: boolean;
  /** Answers whether it used the key (false: the key goes on to the page). */
  onKey(action: KeyAction): boolean;
}

/** Keys typed into a field, or while a dialog is open, are not shortcuts. */
function isTypingOrModal(event: KeyboardEvent): boolean {
  const target = event.target;
  if (dialogIsOpen()) return true;
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/**
 * The desk's keys (shortcuts.ts), anywhere in the workspace but in text fields and dialogs.
 * Listened to in the capture phase, before the grid sees them: Ctrl/⌘+A and Escape mean the
 * app's selection, not the grid's, and a status key must be read before anything moves focus.
 * A held j or k keeps moving; a held status key or z acts once (a decision per press, never per
 * auto-repeat).
 */
export function useShortcutKeys(handlers: ShortcutHandlers): void {
  const latest = useLatest(handlers);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const { enabled, onKey } = latest.current;
      if (!enabled || event.defaultPrevented || isTypingOrModal(event)) return;
      const action = keyAction(event);
      if (!action || (event.repeat && action.kind !== 'move') || !onKey(action)) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [latest]);
}

/**
 * One of the workspace's command keys (shortcuts.ts: Ctrl+, for the settings, Ctrl+B for the
 * side panel) while `enabled`: from anywhere, text fields included, but not over a dialog (an
 * import under way, a question waiting for an answer). A held key acts once.
 */
export function useCommandKey(
  enabled: boolean,
  matches: (press: KeyPress) => boolean,
  run: () => void,
): void {
  const latest = useLatest(run);
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (!matches(event)) return;
      event.preventDefault();
      if (event.repeat || dialogIsOpen()) return;
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, matches, latest]);
}
