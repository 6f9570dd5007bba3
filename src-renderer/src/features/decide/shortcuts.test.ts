import { describe, expect, it } from 'vitest';
import { PLACE_STATUSES } from '../../../../src-shared/domain';
import readme from '../../../../README.md?raw';
import {
  isHelpKey,
  isSettingsKey,
  isSidePanelKey,
  isUndoKey,
  keyAction,
  SHORTCUT_LIST,
  SHORTCUT_RULE,
  STATUS_SHORTCUTS,
  statusForKey,
} from './shortcuts';

const press = (
  key: string,
  modifiers: Partial<{
    ctrlKey: boolean;
    metaKey: boolean;
    altKey: boolean;
    shiftKey: boolean;
  }> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...modifiers,
});

describe('status shortcuts', () => {
  it('there is one key per status', () => {
    expect(STATUS_SHORTCUTS.map((s) => s.status)).toEqual([...PLACE_STATUSES]);
    expect(new Set(STATUS_SHORTCUTS.map((s) => s.key)).size).toBe(PLACE_STATUSES.length);
  });

  it('2 decides Selected and 4 decides Not a Fit', () => {
    expect(statusForKey(press('2'))).toBe('Selected');
    expect(statusForKey(press('4'))).toBe('Not a Fit');
  });

  it('modified keys and other keys decide nothing', () => {
    expect(statusForKey(press('2', { ctrlKey: true }))).toBeNull();
    expect(statusForKey(press('1', { metaKey: true }))).toBeNull();
    expect(statusForKey(press('x'))).toBeNull();
  });

  it('? opens the help', () => {
    expect(isHelpKey(press('?'))).toBe(true);
    expect(isHelpKey(press('?', { shiftKey: true }))).toBe(true);
    expect(isHelpKey(press('/'))).toBe(false);
  });

  it('z, Ctrl+Z or ⌘Z undoes; Ctrl+Shift+Z, Shift+Z and Ctrl+Alt+Z do not', () => {
    expect(isUndoKey(press('z', { ctrlKey: true }))).toBe(true);
    expect(isUndoKey(press('z', { metaKey: true }))).toBe(true);
    expect(isUndoKey(press('Z', { ctrlKey: true }))).toBe(true);
    expect(isUndoKey(press('z'))).toBe(true);
    expect(isUndoKey(press('Z', { shiftKey: true }))).toBe(false);
    expect(isUndoKey(press('z', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isUndoKey(press('z', { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('the keyboard path: / searches, j and k move, Ctrl/⌘+A selects all matching, Esc clears', () => {
    expect(keyAction(press('/'))).toEqual({ kind: 'search' });
    expect(keyAction(press('j'))).toEqual({ kind: 'move', delta: 1 });
    expect(keyAction(press('k'))).toEqual({ kind: 'move', delta: -1 });
    expect(keyAction(press('a', { ctrlKey: true }))).toEqual({ kind: 'selectAll' });
    expect(keyAction(press('a', { metaKey: true }))).toEqual({ kind: 'selectAll' });
    expect(keyAction(press('Escape'))).toEqual({ kind: 'clear' });
    expect(keyAction(press('a'))).toBeNull();
    expect(keyAction(press('j', { ctrlKey: true }))).toBeNull();
    expect(keyAction(press('c', { ctrlKey: true }))).toBeNull();
  });

  it('Enter asks for the row’s details; with a modifier it is not ours', () => {
    expect(keyAction(press('Enter'))).toEqual({ kind: 'details' });
    expect(keyAction(press('Enter', { shiftKey: true }))).toBeNull();
    expect(keyAction(press('Enter', { ctrlKey: true }))).toBeNull();
    expect(keyAction(press('Enter', { altKey: true }))).toBeNull();
  });

  it('Ctrl+B or ⌘B hides or shows the side panel; b, Ctrl+Shift+B, Ctrl+Alt+B do not', () => {
    expect(isSidePanelKey(press('b', { ctrlKey: true }))).toBe(true);
    expect(isSidePanelKey(press('b', { metaKey: true }))).toBe(true);
    expect(isSidePanelKey(press('B', { ctrlKey: true }))).toBe(true);
    expect(isSidePanelKey(press('b'))).toBe(false);
    expect(isSidePanelKey(press('B', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSidePanelKey(press('b', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSidePanelKey(press('\\', { ctrlKey: true }))).toBe(false);
    // Not a desk key as well: the grid's keys and this one never both act on a press.
    expect(keyAction(press('b', { ctrlKey: true }))).toBeNull();
    expect(keyAction(press('b'))).toBeNull();
  });

  it('Ctrl+comma or ⌘comma opens the settings; a comma alone or with Alt does not', () => {
    expect(isSettingsKey(press(',', { ctrlKey: true }))).toBe(true);
    expect(isSettingsKey(press(',', { metaKey: true }))).toBe(true);
    expect(isSettingsKey(press(','))).toBe(false);
    expect(isSettingsKey(press(',', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isSettingsKey(press('b', { ctrlKey: true }))).toBe(false);
  });
});

describe('the shortcut list', () => {
  /** The rows of the README's table between its shortcut markers, cells trimmed, no backticks. */
  function readmeRows(): { keys: string; what: string }[] {
    const start = readme.indexOf('<!-- shortcuts:start -->');
    const end = readme.indexOf('<!-- shortcuts:end -->');
    expect(start, 'README has the shortcut markers').toBeGreaterThan(0);
    return readme
      .slice(start, end)
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .slice(2)
      .map((line) => {
        const [keys, what] = line
          .slice(1, -1)
          .split(' | ')
          .map((cell) => cell.trim().replace(/`/g, ''));
        return { keys: keys!, what: what! };
      });
  }

  it('the README lists exactly the shortcuts the ? overlay shows, in the same order', () => {
    expect(readmeRows()).toEqual(SHORTCUT_LIST.map(({ keys, what }) => ({ keys, what })));
    expect(readme).toContain(SHORTCUT_RULE);
  });

  it('every action the keys map to is in the list', () => {
    const listed = SHORTCUT_LIST.map((s) => s.keys).join(' ');
    for (const key of [
      'z',
      'j',
      'k',
      '/',
      '?',
      'Esc',
      'Space',
      'Shift+↓',
      'Ctrl+A',
      '1',
      '5',
      'Enter',
      'Ctrl+B',
      '⌘B',
    ]) {
      expect(listed).toContain(key);
    }
  });
});
