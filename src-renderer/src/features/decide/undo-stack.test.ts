import { describe, expect, it } from 'vitest';
import { UNDO_STACK_DEPTH } from '../../../../src-shared/domain';
import { UndoStack, type UndoEntry } from './undo-stack';

const key = (seq: number): UndoEntry => ({
  decisionSeq: seq,
  token: null,
  count: 1,
  storedAt: null,
});
const update = (token: string, storedAt: number): UndoEntry => ({
  decisionSeq: null,
  token,
  count: 12,
  storedAt,
});

describe('the undo stack', () => {
  it('undoes the last decisions one by one, newest first', () => {
    const stack = new UndoStack();
    for (let seq = 1; seq <= 3; seq++) {
      stack.push(key(seq));
      stack.settle(seq, `t${seq}`, 1000);
    }
    expect([stack.pop(2000), stack.pop(2000), stack.pop(2000)].map((e) => e?.token)).toEqual([
      't3',
      't2',
      't1',
    ]);
    expect(stack.pop(2000)).toBeNull();
  });

  it(`keeps at least 20 (here ${UNDO_STACK_DEPTH}) and drops the oldest beyond that`, () => {
    expect(UNDO_STACK_DEPTH).toBeGreaterThanOrEqual(20);
    const stack = new UndoStack();
    for (let i = 0; i < UNDO_STACK_DEPTH + 5; i++) stack.push(update(`t${i}`, 0));
    expect(stack.size).toBe(UNDO_STACK_DEPTH);
    let last: UndoEntry | null = null;
    for (let entry = stack.pop(0); entry; entry = stack.pop(0)) last = entry;
    expect(last?.token).toBe('t5');
  });

  it('a decision still waiting for the server is undoable at once', () => {
    const stack = new UndoStack();
    stack.push(update('older', 0));
    stack.push(key(7));
    expect(stack.pop(10)).toMatchObject({ decisionSeq: 7, token: null });
    expect(stack.pop(10)?.token).toBe('older');
  });

  it('a refused decision, or one that changed nothing, leaves the stack', () => {
    const stack = new UndoStack();
    stack.push(update('older', 0));
    stack.push(key(1));
    stack.settle(1, null, 5);
    expect(stack.pop(10)?.token).toBe('older');
  });

  it('mixes key decisions and updates in the order they were made', () => {
    const stack = new UndoStack();
    stack.push(key(1));
    stack.push(update('bulk', 3));
    stack.settle(1, 'k1', 4);
    expect([stack.pop(5)?.token, stack.pop(5)?.token]).toEqual(['bulk', 'k1']);
  });

  it('drops what the server would refuse: entries past the undo window', () => {
    const stack = new UndoStack(100, 60_000);
    stack.push(update('old', 0));
    stack.push(update('recent', 50_000));
    expect(stack.canUndo(70_000)).toBe(true);
    expect(stack.pop(70_000)?.token).toBe('recent');
    expect(stack.canUndo(70_000)).toBe(false);
    expect(stack.pop(70_000)).toBeNull();
    expect(stack.size).toBe(0);
  });
});
