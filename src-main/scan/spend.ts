import { sql } from 'drizzle-orm';
import type { ScanSpend, SpendDay } from '../../src-shared/contract/events';
import type { Settings } from '../config';
import type { Store } from '../db/store';
import { readDailyCallLimit } from './daily-limit';
import { DAY_MS } from '../../src-shared/time';

export interface SpendOptions {
  days: number;
  settings: Pick<Settings, 'DEEP_SCAN_COST_PER_1000'>;
  /** Epoch ms; today is its UTC day (default now). */
  now?: number;
}

interface DayRow {
  day: number;
  calls: number;
  completed: number;
  retried: number;
  failed: number;
  cancelled: number;
  open: number;
  places: number;
  places_completed: number;
}

/**
 * The spend ledger summed per UTC day, in one statement: calls by outcome, places completed,
 * duplicate calls (a place called more than once that day) and the estimated cost.
 */
export async function readSpend(store: Store, options: SpendOptions): Promise<ScanSpend> {
  const today = Math.floor((options.now ?? Date.now()) / DAY_MS);
  const first = today - options.days + 1;
  const counts = sql`count(*) AS calls,
      sum(CASE WHEN outcome = 'completed' THEN 1 ELSE 0 END) AS completed,
      sum(CASE WHEN outcome = 'retried' THEN 1 ELSE 0 END) AS retried,
      sum(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed,
      sum(CASE WHEN outcome = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
      sum(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS open,
      count(DISTINCT place_id) AS places,
      count(DISTINCT CASE WHEN outcome = 'completed' THEN place_id END) AS places_completed`;
  let rows: DayRow[];
  if (store.kind === 'postgres') {
    const result = await store.db.execute<Record<string, string | number>>(sql`
      SELECT floor(extract(epoch FROM started_at) / 86400)::int AS day, ${counts}
      FROM places_api_calls WHERE started_at >= ${new Date(first * DAY_MS)}
      GROUP BY 1`);
    rows = result.rows.map(numbers);
  } else {
    rows = store.db
      .all<Record<string, number>>(
        sql`SELECT started_at / ${sql.raw(String(DAY_MS))} AS day, ${counts}
            FROM places_api_calls WHERE started_at >= ${first * DAY_MS} GROUP BY 1`,
      )
      .map(numbers);
  }
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const cost = options.settings.DEEP_SCAN_COST_PER_1000 ?? null;
  const days: SpendDay[] = [];
  for (let day = today; day >= first; day--) {
    const r = byDay.get(day);
    const calls = r?.calls ?? 0;
    const placesCompleted = r?.places_completed ?? 0;
    days.push({
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      calls,
      by_outcome: {
        completed: r?.completed ?? 0,
        retried: r?.retried ?? 0,
        failed: r?.failed ?? 0,
        cancelled: r?.cancelled ?? 0,
        open: r?.open ?? 0,
      },
      places_completed: placesCompleted,
      calls_per_completed_place:
        placesCompleted > 0 ? Math.round((calls / placesCompleted) * 100) / 100 : null,
      duplicate_calls: calls - (r?.places ?? 0),
      estimated_cost: cost === null ? null : Math.round(calls * cost * 100) / 100_000,
    });
  }
  return {
    days,
    cost_per_1000: cost,
    // The store's limit, the one every worker obeys (not this process's setting).
    daily_call_limit: await readDailyCallLimit(store),
  };
}

/** PostgreSQL returns count(*) and sum() as text (bigint, numeric). */
function numbers(row: Record<string, string | number | null>): DayRow {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) out[k] = Number(v ?? 0);
  return out as unknown as DayRow;
}
