import { describe, expect, it } from 'vitest';
import { PLACE_STATUSES } from '../../../../src-shared/domain';
import { isHelpKey, isUndoKey, STATUS_SHORTCUTS, statusForKey } from './shortcuts';

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
    expect(isHelpKey(press('/'))).toBe(false);
  });

  it('Ctrl+Z or ⌘Z undoes; Z alone, Ctrl+Shift+Z and Ctrl+Alt+Z do not', () => {
    expect(isUndoKey(press('z', { ctrlKey: true }))).toBe(true);
    expect(isUndoKey(press('z', { metaKey: true }))).toBe(true);
    expect(isUndoKey(press('Z', { ctrlKey: true }))).toBe(true);
    expect(isUndoKey(press('z'))).toBe(false);
    expect(isUndoKey(press('z', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isUndoKey(press('z', { ctrlKey: true, altKey: true }))).toBe(false);
  });
});
