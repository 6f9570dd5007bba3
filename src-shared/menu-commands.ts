/**
 * The desktop menu's commands that belong to the page: main sends one of these names when its
 * menu item is chosen, and the renderer does what the page's own button or key does. One list
 * for main, the preload (which bundles this file: it imports nothing) and the renderer.
 */
export const MENU_COMMANDS = [
  'importPlaces',
  'exportPlaces',
  'openSettings',
  'showShortcuts',
  'toggleDetailsPanel',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

const commands = new Set<unknown>(MENU_COMMANDS);

export function isMenuCommand(value: unknown): value is MenuCommand {
  return commands.has(value);
}
