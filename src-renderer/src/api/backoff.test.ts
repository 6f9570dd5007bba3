import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src-shared/random';
import { backoffDelayMs, RECONNECT_BACKOFF } from './backoff';

const exact = { ...RECONNECT_BACKOFF, random: () => 0.5 }; // no spread

describe('the reconnect backoff', () => {
  it('doubles from half a second and stops at four seconds', () => {
    expect([0, 1, 2, 3, 4, 5, 30].map((n) => backoffDelayMs(n, exact))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000, 4000,
    ]);
  });

  it('never waits longer than the cap plus its jitter, however long the server is away', () => {
    const options = { ...RECONNECT_BACKOFF, random: seededRandom(7) };
    const delays = Array.from({ length: 200 }, (_, n) => backoffDelayMs(n, options));
    expect(Math.max(...delays)).toBeLessThanOrEqual(4_800);
    expect(Math.min(...delays.slice(3))).toBeGreaterThanOrEqual(3_200);
  });

  it('spreads each delay by at most 20% either way', () => {
    expect(backoffDelayMs(2, { ...RECONNECT_BACKOFF, random: () => 0 })).toBe(1600);
    expect(backoffDelayMs(2, { ...RECONNECT_BACKOFF, random: () => 0.999999 })).toBe(2400);
  });

  it('treats odd attempt numbers as the first', () => {
    expect(backoffDelayMs(-3, exact)).toBe(500);
    expect(backoffDelayMs(1.7, exact)).toBe(1000);
  });

  it('a seed gives the same schedule every time, and different seeds differ', () => {
    const schedule = (seed: number) => {
      const options = { ...RECONNECT_BACKOFF, random: seededRandom(seed) };
      return Array.from({ length: 8 }, (_, n) => backoffDelayMs(n, options));
    };
    expect(schedule(42)).toEqual(schedule(42));
    expect(schedule(42)).not.toEqual(schedule(43));
    const values = Array.from({ length: 1000 }, seededRandom(1));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});
