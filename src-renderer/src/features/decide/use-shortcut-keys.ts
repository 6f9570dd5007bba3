import { useEffect } from 'react';
import type { PlaceStatus } from '../../../../src-shared/domain';
import { useLatest } from '../../app/use-latest';
import { isHelpKey, isUndoKey, statusForKey } from './shortcuts';

interface ShortcutHandlers {
  enabled: boolean;
  onStatusKey(status: PlaceStatus): void;
  onHelp(): void;
  onUndo(): void;
}

/** Keys typed into a field, or while a dialog is open, are not shortcuts. */
function isTypingOrModal(event: KeyboardEvent): boolean {
  const target = event.target;
  if (document.querySelector('dialog[open]')) return true;
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** One key per status, Ctrl/⌘+Z to undo and `?` for the list, anywhere in the workspace. */
export function useShortcutKeys(handlers: ShortcutHandlers): void {
  const latest = useLatest(handlers);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const { enabled, onStatusKey, onHelp, onUndo } = latest.current;
      if (!enabled || event.defaultPrevented || event.repeat || isTypingOrModal(event)) return;
      if (isUndoKey(event)) {
        event.preventDefault();
        onUndo();
        return;
      }
      if (isHelpKey(event)) {
        event.preventDefault();
        onHelp();
        return;
      }
      const status = statusForKey(event);
      if (status) {
        event.preventDefault();
        onStatusKey(status);
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [latest]);
}
