import { describe, expect, it } from 'vitest';
import type { ScanSpend } from '../../../../src-shared/contract';
import { spendDay as day } from './spend-day.fixture';
import { spendLine } from './spend-line';

describe("today's Places API spend line", () => {
  it('says none yet on a quiet day, without a limit or a price', () => {
    expect(spendLine({ days: [], cost_per_1000: null, daily_call_limit: null })).toBe(
      'Places API today: 0 calls',
    );
  });

  it('counts calls and scanned places, prices them and names the limit', () => {
    const spend: ScanSpend = {
      days: [day({ calls: 1203, places_completed: 1200, estimated_cost: 20.451 })],
      cost_per_1000: 17,
      daily_call_limit: 5000,
    };
    expect(spendLine(spend)).toBe(
      'Places API today: 1,203 calls (1,200 places scanned) · about $20.45 · limit 5,000 a day',
    );
  });

  it('points out calls for places already called today', () => {
    expect(
      spendLine({
        days: [day({ calls: 1, places_completed: 1, duplicate_calls: 1 })],
        cost_per_1000: null,
        daily_call_limit: null,
      }),
    ).toBe('Places API today: 1 call (1 place scanned) · 1 call for places already called today');
  });
});
