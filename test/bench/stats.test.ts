import { describe, expect, it, vi } from 'vitest';
import { pairedRatio, rate, type Run } from '../../bench/scan-runs';
import { median, percentile } from '../../bench/stats';

describe('bench statistics', () => {
  it('median: the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([0.91, 0.84, 0.88, 0.9])).toBeCloseTo(0.89, 10);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('median leaves the values as they were', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('percentile: nearest rank, from the smallest value at p 0 to the largest at p 100', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 down to 1
    expect(percentile(values, 95)).toBe(19);
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 100)).toBe(20);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([4, 2], 50)).toBe(2);
    expect(percentile([], 95)).toBeNaN();
  });

  it('percentile refuses a p outside 0 to 100', () => {
    expect(() => percentile([1, 2, 3], 101)).toThrow(RangeError);
    expect(() => percentile([1, 2, 3], -1)).toThrow(RangeError);
    expect(() => percentile([1, 2, 3], Number.NaN)).toThrow(RangeError);
  });
});

describe('scan bench ratios', () => {
  const runs = (...perSecond: number[]): Run[] =>
    perSecond.map((p) => ({ perSecond: p, seconds: 4000 / p, duplicates: 0 }));

  it('pairs runs round by round, so a slow spell that falls on a whole round cancels out', () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Round by round: 0.90, 0.93, 0.80. The ratio of the two medians (640 / 800) would read 0.80.
    const on = runs(900, 560, 640);
    const off = runs(1000, 600, 800);
    expect(pairedRatio(on, off, 'on / off')).toBeCloseTo(0.9, 10);
    expect(log).toHaveBeenCalledWith('  on / off, round by round: 0.90 0.93 0.80');
    expect(rate(on)).toBe(640);
    log.mockRestore();
  });
});
