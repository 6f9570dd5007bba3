import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../src-shared/menu-commands';
import { applicationMenuTemplate, openLogsFolderFailure } from './app-menu';

function roles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

function menu(label: string, template: MenuItemConstructorOptions[]) {
  const found = template.find((item) => item.label === label || item.role === label);
  if (!found || !Array.isArray(found.submenu)) throw new Error(`no ${label} menu`);
  return found.submenu;
}

describe('the application menu', () => {
  const build = (
    platform: NodeJS.Platform,
    isDev: boolean,
    onCommand: (command: MenuCommand) => void = () => {},
    onOpenLogsFolder = () => {},
  ) =>
    applicationMenuTemplate({
      platform,
      isDev,
      onCommand,
      onOpenLogsFolder,
    });

  /** Clicks the item labelled `label` in `items` and returns the commands that sent. */
  function click(items: MenuItemConstructorOptions[], label: string, sent: MenuCommand[]) {
    const item = items.find((entry) => entry.label === label);
    if (!item) throw new Error(`no ${label} item`);
    (item.click as () => void)();
    return { item, sent };
  }

  it('has File, Edit, View and Help, with Quit in File (and in the app menu on macOS)', () => {
    const linux = build('linux', false);
    expect(linux.map((item) => item.label ?? item.role)).toEqual(['File', 'Edit', 'View', 'help']);
    expect(roles(menu('File', linux))).toEqual(['quit']);
    const mac = build('darwin', false);
    expect(mac[0]!.label).toBe('Staging Editor');
    expect(roles([mac[0]!])).toContain('quit');
    expect(roles(mac)).toContain('windowMenu');
  });

  it('gives the standard editing commands', () => {
    expect(roles(menu('Edit', build('win32', false)))).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'delete',
      'selectAll',
    ]);
  });

  it('offers reload and developer tools in development only', () => {
    const production = roles(menu('View', build('linux', false)));
    expect(production).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    const sent: MenuCommand[] = [];
    const view = menu(
      'View',
      build('linux', false, (command) => sent.push(command)),
    );
    // The page's Ctrl+B, not the menu's: an accelerator here would take the key and toggle twice.
    expect(click(view, 'Toggle Details Panel', sent).item.accelerator).toBeUndefined();
    expect(sent).toEqual(['toggleDetailsPanel']);
    const dev = roles(menu('View', build('linux', true)));
    expect(dev).toEqual(expect.arrayContaining(['reload', 'toggleDevTools', 'togglefullscreen']));
  });

  it('shows the keyboard shortcuts from Help, without stealing the ? key from the page', () => {
    const sent: MenuCommand[] = [];
    const help = menu(
      'help',
      build('linux', false, (command) => sent.push(command)),
    );
    const { item } = click(help, 'Keyboard Shortcuts', sent);
    expect(item.accelerator).toBeUndefined();
    expect(sent).toEqual(['showShortcuts']);
  });

  it.each(['linux', 'win32'] as const)(
    'File on %s: Import Places…, Export Places… and Settings… go to the page',
    (platform) => {
      const sent: MenuCommand[] = [];
      const file = menu(
        'File',
        build(platform, false, (command) => sent.push(command)),
      );
      expect(file.filter((entry) => entry.label).map((entry) => entry.label)).toEqual([
        'Import Places…',
        'Export Places…',
        'Settings…',
      ]);
      click(file, 'Import Places…', sent);
      click(file, 'Export Places…', sent);
      const { item } = click(file, 'Settings…', sent);
      expect(item.accelerator).toBe('CmdOrCtrl+,');
      expect(sent).toEqual(['importPlaces', 'exportPlaces', 'openSettings']);
    },
  );

  it('on macOS, Settings… is in the app menu with ⌘, and File keeps Import and Export', () => {
    const sent: MenuCommand[] = [];
    const mac = build('darwin', false, (command) => sent.push(command));
    const appMenu = mac[0]!.submenu as MenuItemConstructorOptions[];
    const { item } = click(appMenu, 'Settings…', sent);
    expect(item.accelerator).toBe('CmdOrCtrl+,');
    const file = menu('File', mac);
    expect(file.some((entry) => entry.label === 'Settings…')).toBe(false);
    expect(roles(file)).toEqual(['close']);
    click(file, 'Import Places…', sent);
    click(file, 'Export Places…', sent);
    expect(sent).toEqual(['openSettings', 'importPlaces', 'exportPlaces']);
  });

  it.each(['linux', 'win32', 'darwin'] as const)(
    'opens the logs folder from Help on %s',
    (platform) => {
      let opened = 0;
      const help = menu(
        'help',
        build(platform, false, undefined, () => (opened += 1)),
      );
      const item = help.find((entry) => entry.label === 'Open Logs Folder');
      expect(item).toBeDefined();
      (item!.click as () => void)();
      expect(opened).toBe(1);
    },
  );
});

describe('opening the logs folder', () => {
  it('says nothing when it opened, and where the files are when it did not', () => {
    expect(openLogsFolderFailure('', '/data/logs')).toBeNull();
    expect(openLogsFolderFailure('Failed to open path', '/data/logs')).toEqual({
      message: 'The logs folder could not be opened',
      detail: 'The log files are in /data/logs (Failed to open path).',
    });
  });
});
