import { describe, expect, it } from 'vitest';
import { applyScanProgress, deepScanBars, queueProgress, statusBars } from './summary-model';

const summary = {
  total: 10,
  by_status: { New: 4, Selected: 3, Maybe: 1, 'Not a Fit': 1, Archived: 1 },
  by_deep_scan_status: { none: 7, Queued: 1, Processing: 1, Completed: 1, Error: 0 },
};

describe('status summary', () => {
  it('bars are sized against the largest count', () => {
    const bars = statusBars(summary);
    expect(bars.map((b) => [b.label, b.count])).toEqual([
      ['New', 4],
      ['Selected', 3],
      ['Maybe', 1],
      ['Not a Fit', 1],
      ['Archived', 1],
    ]);
    expect(bars[0]?.fraction).toBe(1);
    expect(bars[2]?.fraction).toBe(0.25);
  });

  it('never-queued places come first in the deep scan chart', () => {
    expect(deepScanBars(summary.by_deep_scan_status)[0]).toMatchObject({
      key: 'none',
      label: 'Never queued',
      count: 7,
    });
  });

  it('an empty store gives zero-length bars, not NaN', () => {
    const empty = { none: 0, Queued: 0, Processing: 0, Completed: 0, Error: 0 };
    expect(deepScanBars(empty).every((b) => b.fraction === 0)).toBe(true);
    expect(queueProgress(empty)).toMatchObject({ total: 0, done: 0 });
  });

  it('the queue progress counts finished scans out of all queued ones', () => {
    const progress = queueProgress({ none: 5, Queued: 2, Processing: 1, Completed: 6, Error: 1 });
    expect(progress.total).toBe(10);
    expect(progress.done).toBe(7);
  });

  it('a scanProgress event replaces the deep scan counts', () => {
    const counts = { none: 6, Queued: 0, Processing: 1, Completed: 3, Error: 0 };
    const next = applyScanProgress(summary, {
      counts,
      scans_per_minute: 2,
      cancelled: 0,
      oldest_queued_age_seconds: null,
      running: true,
      paused_reason: null,
    });
    expect(next.by_deep_scan_status).toEqual(counts);
    expect(next.by_status).toBe(summary.by_status);
  });
});
