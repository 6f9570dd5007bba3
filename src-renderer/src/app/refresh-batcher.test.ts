import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRefreshBatcher, MAX_WAIT_MS, SETTLE_MS } from './refresh-batcher';

describe('the grid re-read after pushed events', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gathers a burst into one re-read, once the events settle', () => {
    const flushed: (string[] | null)[] = [];
    const batcher = createRefreshBatcher((ids) => flushed.push(ids));
    batcher.add(['a']);
    vi.advanceTimersByTime(100);
    batcher.add(['b', 'a']);
    vi.advanceTimersByTime(SETTLE_MS - 1);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual([['a', 'b']]);
  });

  it('re-reads everything when any event says any place may have changed', () => {
    const flushed: (string[] | null)[] = [];
    const batcher = createRefreshBatcher((ids) => flushed.push(ids));
    batcher.add(['a']);
    batcher.add(null);
    batcher.add(['b']);
    vi.advanceTimersByTime(SETTLE_MS);
    expect(flushed).toEqual([null]);
  });

  it('still re-reads while events keep coming closer together than the settling time', () => {
    const flushed: { at: number; ids: string[] | null }[] = [];
    const start = Date.now();
    const batcher = createRefreshBatcher((ids) => flushed.push({ at: Date.now() - start, ids }));
    // Scans finishing every 200 ms for 5 seconds.
    for (let t = 0; t < 5000; t += 200) {
      batcher.add([`p${t}`]);
      vi.advanceTimersByTime(200);
    }
    vi.advanceTimersByTime(SETTLE_MS);
    expect(flushed.length).toBeGreaterThanOrEqual(3);
    for (const [i, { at }] of flushed.entries()) {
      expect(at - (i === 0 ? 0 : flushed[i - 1]!.at)).toBeLessThanOrEqual(MAX_WAIT_MS + 200);
    }
    // Every place of the burst was re-read once.
    expect(flushed.flatMap(({ ids }) => ids ?? []).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `p${i * 200}`).sort(),
    );
  });

  it('does nothing after it is stopped', () => {
    const flushed: (string[] | null)[] = [];
    const batcher = createRefreshBatcher((ids) => flushed.push(ids));
    batcher.add(['a']);
    batcher.stop();
    vi.advanceTimersByTime(MAX_WAIT_MS * 2);
    expect(flushed).toEqual([]);
  });
});
