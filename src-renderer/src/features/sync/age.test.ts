import { describe, expect, it } from 'vitest';
import { formatAge, formatAgo } from './age';

const NOW = Date.parse('2025-03-10T12:00:00Z');
const before = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;

describe('age wording', () => {
  it('under a minute, whatever the seconds', () => {
    expect(formatAge(before(0), NOW)).toBe('under 1 min');
    expect(formatAge(before(59_999), NOW)).toBe('under 1 min');
  });

  it('minutes, then hours with minutes while they matter, then whole hours', () => {
    expect(formatAge(before(MIN), NOW)).toBe('1 min');
    expect(formatAge(before(12 * MIN + 30_000), NOW)).toBe('12 min');
    expect(formatAge(before(59 * MIN), NOW)).toBe('59 min');
    expect(formatAge(before(60 * MIN), NOW)).toBe('1 h');
    expect(formatAge(before(95 * MIN), NOW)).toBe('1 h 35 min');
    expect(formatAge(before(7 * 60 * MIN + 20 * MIN), NOW)).toBe('7 h');
  });

  it('days', () => {
    expect(formatAge(before(24 * 60 * MIN), NOW)).toBe('1 day');
    expect(formatAge(before(3 * 24 * 60 * MIN + 5 * MIN), NOW)).toBe('3 days');
  });

  it('a time ahead of this clock (another computer) is not negative', () => {
    expect(formatAge(new Date(NOW + 5 * MIN).toISOString(), NOW)).toBe('under 1 min');
  });

  it('keeps the offset of the timestamp it is given', () => {
    expect(formatAge('2025-03-10T13:48:00+02:00', NOW)).toBe('12 min');
  });

  it('ago: "just now" in the first minute', () => {
    expect(formatAgo(before(10_000), NOW)).toBe('just now');
    expect(formatAgo(before(5 * MIN), NOW)).toBe('5 min ago');
  });

  it('an unreadable time says so instead of NaN', () => {
    expect(formatAge('not a date', NOW)).toBe('an unknown time');
  });
});
