import { describe, expect, it } from 'vitest';
import { DecisionQueue, type Decision } from './decision-queue';

const decision = (seq: number, ids: string[] = [`p${seq}`]): Decision => ({
  seq,
  placeIds: ids,
  status: seq % 2 ? 'Maybe' : 'Archived',
});
const seqs = (decisions: Decision[]) => decisions.map((d) => d.seq);

describe('keys typed ahead', () => {
  it('leave in the order they came, all that piled up in one batch', () => {
    const queue = new DecisionQueue();
    for (let seq = 1; seq <= 5; seq++) queue.push({ kind: 'decide', decision: decision(seq) });
    const next = queue.next();
    expect(next?.kind === 'decide' && seqs(next.decisions)).toEqual([1, 2, 3, 4, 5]);
    expect(queue.next()).toBeNull();
  });

  it('an undo waits for the decisions typed before it and goes alone', () => {
    const queue = new DecisionQueue();
    queue.push({ kind: 'decide', decision: decision(1) });
    queue.push({ kind: 'decide', decision: decision(2) });
    queue.push({ kind: 'undo', seq: 2 });
    queue.push({ kind: 'decide', decision: decision(3) });
    const sent = [queue.next(), queue.next(), queue.next(), queue.next()];
    expect(sent.map((r) => (r?.kind === 'decide' ? seqs(r.decisions) : r))).toEqual([
      [1, 2],
      { kind: 'undo', seq: 2 },
      [3],
      null,
    ]);
  });

  it('batches stay within the decision and id limits, and never split a decision', () => {
    const queue = new DecisionQueue({ maxDecisions: 3, maxIds: 4 });
    for (let seq = 1; seq <= 4; seq++) queue.push({ kind: 'decide', decision: decision(seq) });
    queue.push({ kind: 'decide', decision: decision(5, ['a', 'b', 'c']) });
    queue.push({ kind: 'decide', decision: decision(6, ['d', 'e', 'f', 'g', 'h']) });
    const batches: number[][] = [];
    for (let next = queue.next(); next; next = queue.next()) {
      if (next.kind === 'decide') batches.push(seqs(next.decisions));
    }
    // 1-3 (the decision limit), 4 + 5 (4 ids), 6 alone even though it is over the id limit.
    expect(batches).toEqual([[1, 2, 3], [4, 5], [6]]);
  });

  it('a decision taken back before it left is never sent; one already sent cannot be', () => {
    const queue = new DecisionQueue();
    queue.push({ kind: 'decide', decision: decision(1) });
    queue.push({ kind: 'decide', decision: decision(2) });
    const first = queue.next();
    expect(first?.kind === 'decide' && seqs(first.decisions)).toEqual([1, 2]);
    queue.push({ kind: 'decide', decision: decision(3) });
    expect(queue.has(3)).toBe(true);
    expect(queue.cancel(2)).toBe(false);
    expect(queue.cancel(3)).toBe(true);
    expect(queue.has(3)).toBe(false);
    expect(queue.next()).toBeNull();
  });

  it('every key pressed leaves exactly once, however the presses and answers interleave', () => {
    const queue = new DecisionQueue({ maxDecisions: 7, maxIds: 100 });
    const sent: number[] = [];
    let seq = 0;
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < (round * 7) % 11; k++)
        queue.push({ kind: 'decide', decision: decision(++seq) });
      const next = queue.next();
      if (next?.kind === 'decide') sent.push(...seqs(next.decisions));
    }
    for (let next = queue.next(); next; next = queue.next()) {
      if (next.kind === 'decide') sent.push(...seqs(next.decisions));
    }
    expect(sent).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
  });
});
