import { describe, expect, it } from 'vitest';
import { OptimisticStatuses } from './optimistic-statuses';

describe('statuses shown before the server answers', () => {
  it('a decision shows at once, pending, and stays through reads asked before it was stored', () => {
    const shown = new OptimisticStatuses();
    shown.decide(1, 'Maybe', new Map([['a', 'New']]));
    expect(shown.isPending('a')).toBe(true);
    expect(shown.shown('a', 'New', 5)).toBe('Maybe');
    shown.stored(1, 10);
    expect(shown.isPending('a')).toBe(false);
    // A read asked before the store (it raced the decision) still shows the decision.
    expect(shown.shown('a', 'New', 9)).toBe('Maybe');
    // A read asked after it is the truth (another reviewer may have changed it since).
    expect(shown.shown('a', 'Archived', 11)).toBe('Archived');
    expect(shown.shown('a', 'New', 12)).toBe('New');
  });

  it('a refused decision rolls back to what the row showed before it', () => {
    const shown = new OptimisticStatuses();
    shown.decide(
      1,
      'Maybe',
      new Map([
        ['a', 'New'],
        ['b', 'Selected'],
      ]),
    );
    expect([...shown.rollBack(1)]).toEqual([
      ['a', 'New'],
      ['b', 'Selected'],
    ]);
    expect(shown.shown('a', 'New', 0)).toBe('New');
    expect(shown.isPending('a')).toBe(false);
  });

  it('rolling back an earlier decision leaves a place a later key decided again', () => {
    const shown = new OptimisticStatuses();
    shown.decide(
      1,
      'Maybe',
      new Map([
        ['a', 'New'],
        ['b', 'New'],
      ]),
    );
    shown.decide(2, 'Archived', new Map([['a', 'Maybe']]));
    expect([...shown.rollBack(1)]).toEqual([['b', 'New']]);
    expect(shown.shown('a', 'New', 0)).toBe('Archived');
    expect([...shown.rollBack(2)]).toEqual([['a', 'Maybe']]);
  });

  it('an earlier decision stored late does not end a later pending one', () => {
    const shown = new OptimisticStatuses();
    shown.decide(1, 'Maybe', new Map([['a', 'New']]));
    shown.decide(2, 'Archived', new Map([['a', 'Maybe']]));
    shown.stored(1, 10);
    expect(shown.isPending('a')).toBe(true);
    expect(shown.shown('a', 'Maybe', 20)).toBe('Archived');
  });
});
