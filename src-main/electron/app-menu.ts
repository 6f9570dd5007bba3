import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Reload and the developer tools exist only in development: a reload
 * in front of a reviewer would drop their selection. "Keyboard Shortcuts" has no accelerator,
 * because `?` belongs to the page (typing it into the search box must still work).
 */
export function applicationMenuTemplate(options: {
  platform: NodeJS.Platform;
  isDev: boolean;
  onShowKeyboardShortcuts: () => void;
}): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const template: MenuItemConstructorOptions[] = [];

  if (mac) {
    template.push({
      label: 'Staging Editor',
      submenu: [
        { role: 'about' },
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
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
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
    submenu: [{ label: 'Keyboard Shortcuts', click: () => options.onShowKeyboardShortcuts() }],
  });
  return template;
}
