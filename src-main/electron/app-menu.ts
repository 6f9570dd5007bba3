import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-shared/menu-commands';

/**
 * The application menu. Its page commands (Import Places…, Export Places…, Settings…, Keyboard
 * Shortcuts) go to the page as `onCommand(name)`, which does what the page's own button does.
 * "Open Logs Folder" in Help shows the rotating log files (the details behind "the details are
 * in the log"). Reload and the developer tools exist only in development: a reload in front of a
 * reviewer would drop their selection. Settings has the page's own Ctrl+, (⌘, on a Mac, in the
 * app menu where macOS puts it); "Keyboard Shortcuts" has no accelerator, because `?` belongs to
 * the page (typing it into the search box must still work), nor do Import and Export (no key
 * the browser version could have as well).
 */
export function applicationMenuTemplate(options: {
  platform: NodeJS.Platform;
  isDev: boolean;
  onCommand: (command: MenuCommand) => void;
  /** Opens the folder of the log files in the system's file manager. */
  onOpenLogsFolder: () => void;
}): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const template: MenuItemConstructorOptions[] = [];
  const command = (label: string, name: MenuCommand, accelerator?: string) =>
    ({
      // The command's name as the item's id: Menu.getMenuItemById finds it (the smoke test).
      id: name,
      label,
      ...(accelerator ? { accelerator } : {}),
      click: () => options.onCommand(name),
    }) satisfies MenuItemConstructorOptions;
  const settings = command('Settings…', 'openSettings', 'CmdOrCtrl+,');

  if (mac) {
    template.push({
      label: 'Staging Editor',
      submenu: [
        { role: 'about' },
        separator,
        settings,
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        command('Import Places…', 'importPlaces'),
        command('Export Places…', 'exportPlaces'),
        separator,
        ...(mac ? [{ role: 'close' } as const] : [settings, separator, { role: 'quit' } as const]),
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        separator,
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        ...(options.isDev
          ? [
              { role: 'reload' } as const,
              { role: 'forceReload' } as const,
              { role: 'toggleDevTools' } as const,
              separator,
            ]
          : []),
        // Ctrl+B / ⌘B is the page's own key (it works in the browser too): not an accelerator
        // here, which would take the key from the page and toggle twice.
        command('Toggle Details Panel', 'toggleDetailsPanel'),
        separator,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
      ],
    },
  );
  if (mac) template.push({ role: 'windowMenu' });
  template.push({
    role: 'help',
    submenu: [
      command('Keyboard Shortcuts', 'showShortcuts'),
      separator,
      { label: 'Open Logs Folder', click: () => options.onOpenLogsFolder() },
    ],
  });
  return template;
}

/**
 * What to tell the user after "Open Logs Folder": nothing when the file manager opened it
 * (`shell.openPath` resolves to ''), otherwise where the folder is, so they can go there.
 */
export function openLogsFolderFailure(
  openPathResult: string,
  logsDir: string,
): { message: string; detail: string } | null {
  if (openPathResult === '') return null;
  return {
    message: 'The logs folder could not be opened',
    detail: `The log files are in ${logsDir} (${openPathResult}).`,
  };
}
