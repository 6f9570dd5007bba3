import { describe, expect, it } from 'vitest';
import type { ScanSpend } from '../../../../src-shared/contract';
import { spendDay } from '../summary/spend-day.fixture';
import { scanBudgetNotes } from './scan-budget';

/** The spend report as the question reads it: today's calls, the price and the limit. */
const spend = (over: Partial<ScanSpend> = {}, callsToday = 0): ScanSpend => ({
  days: [spendDay({ calls: callsToday })],
  cost_per_1000: null,
  daily_call_limit: null,
  ...over,
});

describe('what queuing deep scans will cost and when they run', () => {
  it('says nothing without a price or a limit, or before the spend is known', () => {
    expect(scanBudgetNotes(429, spend(), 0)).toEqual([]);
    expect(scanBudgetNotes(429, null, 0)).toEqual([]);
  });

  it('prices the scans at the price per 1,000 calls', () => {
    expect(scanBudgetNotes(429, spend({ cost_per_1000: 17 }), 0)).toEqual([
      'Estimated cost: about $7.29 (429 calls at $17.00 per 1,000; a retry is another call).',
    ]);
  });

  it("fits them into today's limit when there is room, counting the scans queued ahead", () => {
    expect(scanBudgetNotes(150, spend({ daily_call_limit: 1000 }, 300), 550)).toEqual([
      'The daily limit is 1,000 calls (300 made today, 550 already queued): today has room for all of them.',
    ]);
  });

  it('says how many run today and in about how many more days the last of them runs', () => {
    // 30 a day, 10 made, 5 queued ahead: room for 15 today; 414 left at 30 a day is 14 days.
    expect(scanBudgetNotes(429, spend({ daily_call_limit: 30, cost_per_1000: 17 }, 10), 5)).toEqual(
      [
        'Estimated cost: about $7.29 (429 calls at $17.00 per 1,000; a retry is another call).',
        'The daily limit is 30 calls (10 made today, 5 already queued): today has room for 15 of them; the last of them runs in about 14 more days (days start at 00:00 UTC), unless the limit is raised.',
      ],
    );
    // Today already spent: every one of them waits.
    expect(scanBudgetNotes(101, spend({ daily_call_limit: 100 }, 100), 0)).toEqual([
      'The daily limit is 100 calls (100 made today): today has room for 0 of them; the last of them runs in about 2 more days (days start at 00:00 UTC), unless the limit is raised.',
    ]);
    // A queue longer than today's room runs first: 20 left today, then 180 queued and 100 new
    // at 50 a day take 6 more days.
    expect(scanBudgetNotes(100, spend({ daily_call_limit: 50 }, 30), 200)).toEqual([
      'The daily limit is 50 calls (30 made today, 200 already queued): today has room for 0 of them; the last of them runs in about 6 more days (days start at 00:00 UTC), unless the limit is raised.',
    ]);
  });

  it('a limit of 0 runs nothing until raised', () => {
    expect(scanBudgetNotes(200, spend({ daily_call_limit: 0 }), 0)).toEqual([
      'The daily call limit is 0: no scan runs until it is raised.',
    ]);
  });
});
