import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../../src-shared/menu-commands';
import { listenToMenuCommands } from './menu-commands';

/** Plays the preload's onMenuCommand: the test sends what main's menu would. */
function fakeBridge() {
  const listeners = new Set<(command: MenuCommand) => void>();
  return {
    bridge: {
      onMenuCommand(callback: (command: MenuCommand) => void) {
        listeners.add(callback);
        return () => listeners.delete(callback);
      },
    },
    send: (command: MenuCommand) => listeners.forEach((listener) => listener(command)),
    listening: () => listeners.size,
  };
}

describe("the desktop menu's commands in the page", () => {
  it('runs each command, none while a dialog is open, and stops listening', () => {
    const fake = fakeBridge();
    let blocked = false;
    const ran: MenuCommand[] = [];
    const off = listenToMenuCommands(
      fake.bridge,
      () => blocked,
      (command) => ran.push(command),
    );
    fake.send('importPlaces');
    blocked = true;
    fake.send('openSettings');
    blocked = false;
    fake.send('showShortcuts');
    expect(ran).toEqual(['importPlaces', 'showShortcuts']);
    off();
    expect(fake.listening()).toBe(0);
  });

  it('listens to nothing without the desktop bridge, or with an older preload', () => {
    const ran: MenuCommand[] = [];
    expect(() =>
      listenToMenuCommands(
        undefined,
        () => false,
        (c) => ran.push(c),
      )(),
    ).not.toThrow();
    expect(() =>
      listenToMenuCommands(
        {},
        () => false,
        (c) => ran.push(c),
      )(),
    ).not.toThrow();
    expect(ran).toEqual([]);
  });
});
