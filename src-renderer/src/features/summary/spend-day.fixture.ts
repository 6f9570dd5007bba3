import type { ScanSpend } from '../../../../src-shared/contract';

type SpendDay = ScanSpend['days'][number];

/** A day of the spend report for unit tests: nothing called, unless `over` says otherwise. */
export const spendDay = (over: Partial<SpendDay> = {}): SpendDay => ({
  day: '2026-12-02',
  calls: 0,
  by_outcome: { completed: 0, retried: 0, failed: 0, cancelled: 0, open: 0 },
  places_completed: 0,
  calls_per_completed_place: null,
  duplicate_calls: 0,
  estimated_cost: null,
  ...over,
});
