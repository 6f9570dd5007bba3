import { useEffect } from 'react';
import type { MenuCommand } from '../../../src-shared/menu-commands';
import type { StagingEditorBridge } from '../api/bridge';
import { dialogIsOpen } from '../features/feedback/ModalDialog';
import { useLatest } from './use-latest';

/**
 * Listens to the desktop menu's page commands (File > Import Places…, Export Places…,
 * Settings…, Help > Keyboard Shortcuts) and hands each to `run`, except while `blocked()` says
 * another dialog has the user's attention: as with the page's own Ctrl+, the command is then
 * dropped rather than stacking a second dialog over the first. Without the desktop bridge (the
 * browser) there is no menu, and nothing to listen to. Returns the unsubscribe function.
 */
export function listenToMenuCommands(
  bridge: Pick<StagingEditorBridge, 'onMenuCommand'> | undefined,
  blocked: () => boolean,
  run: (command: MenuCommand) => void,
): () => void {
  if (!bridge?.onMenuCommand) return () => {};
  return bridge.onMenuCommand((command) => {
    if (!blocked()) run(command);
  });
}

/** {@link listenToMenuCommands} for a component, while `enabled` (not behind the sign-in screen). */
export function useMenuCommands(enabled: boolean, run: (command: MenuCommand) => void): void {
  const latest = useLatest(run);
  useEffect(() => {
    if (!enabled) return;
    return listenToMenuCommands(window.stagingEditor, dialogIsOpen, (command) =>
      latest.current(command),
    );
  }, [enabled, latest]);
}
