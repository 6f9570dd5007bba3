import { eq, sql } from 'drizzle-orm';
import { loadSettings, SettingsError, type Settings } from '../config';
import type { Store } from '../db/store';
import { scanControl as pgControl } from '../db/schema.pg';
import { scanControl as sqliteControl } from '../db/schema.sqlite';
import type { Logger } from '../logger';
import { CONTROL_ROW } from './queue';

/**
 * The daily Places API call limit is the store's (scan_control.daily_call_limit, sql 0015): one
 * value for every worker sharing the store, read at each claim and before each call, so raising
 * it in one place resumes them all without a restart. A process's DEEP_SCAN_DAILY_CALL_LIMIT
 * setting is how it is written: a process started with the setting (the desktop app, `serve`, a
 * worker; saving it in the settings screen restarts the backend) writes it to the store; a
 * process without it leaves the store's limit as it is. `staging-editor spend --limit` writes it
 * from anywhere. Null: no limit; 0: no calls at all.
 */

/** The pause reason every status shows once the day's calls reach the store's limit. */
export function budgetReason(limit: number): string {
  return (
    `Daily Places API call limit reached: ${limit} calls today (the store's limit, shared by ` +
    'every worker). Deep scans resume at 00:00 UTC or when the limit is raised.'
  );
}

export async function readDailyCallLimit(store: Store): Promise<number | null> {
  if (store.kind === 'postgres') {
    const [row] = await store.db
      .select({ limit: pgControl.daily_call_limit })
      .from(pgControl)
      .where(eq(pgControl.name, CONTROL_ROW));
    return row?.limit ?? null;
  }
  const row = store.db
    .select({ limit: sqliteControl.daily_call_limit })
    .from(sqliteControl)
    .where(eq(sqliteControl.name, CONTROL_ROW))
    .get();
  return row?.limit ?? null;
}

/**
 * Sets the store's limit (creating the control row if it is missing) and returns the one it
 * replaced. `limit` is a value the settings schema accepted (loadSettings, parseDailyCallLimit):
 * the rule is stated there once. Workers paused by the old limit see the new one at their next budget check (at most
 * DEEP_SCAN_INTERVAL_SECONDS later).
 */
export async function writeDailyCallLimit(
  store: Store,
  limit: number | null,
): Promise<{ previous: number | null }> {
  if (store.kind === 'postgres') {
    return store.db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ previous: number | null }>(sql`
        SELECT ${pgControl.daily_call_limit} AS previous FROM ${pgControl}
        WHERE ${pgControl.name} = ${CONTROL_ROW} FOR UPDATE`);
      await tx
        .insert(pgControl)
        .values({ name: CONTROL_ROW, daily_call_limit: limit })
        .onConflictDoUpdate({
          target: pgControl.name,
          set: { daily_call_limit: limit, updated_at: sql`now()` },
        });
      return { previous: rows[0]?.previous ?? null };
    });
  }
  return store.db.transaction(
    (tx) => {
      const previous =
        tx
          .select({ limit: sqliteControl.daily_call_limit })
          .from(sqliteControl)
          .where(eq(sqliteControl.name, CONTROL_ROW))
          .get()?.limit ?? null;
      tx.insert(sqliteControl)
        .values({ name: CONTROL_ROW, daily_call_limit: limit })
        .onConflictDoUpdate({
          target: sqliteControl.name,
          set: { daily_call_limit: limit, updated_at: new Date() },
        })
        .run();
      return { previous };
    },
    { behavior: 'immediate' },
  );
}

/**
 * A process started with DEEP_SCAN_DAILY_CALL_LIMIT writes it to the store (unset: the store's
 * limit stays as it is). Says so in the log when that changes the store's limit.
 */
export async function applyDailyCallLimitSetting(
  store: Store,
  settings: Pick<Settings, 'DEEP_SCAN_DAILY_CALL_LIMIT'>,
  logger: Logger,
): Promise<void> {
  const limit = settings.DEEP_SCAN_DAILY_CALL_LIMIT;
  if (limit === undefined) return;
  const { previous } = await writeDailyCallLimit(store, limit);
  if (previous !== limit) {
    logger.info(
      { from: previous, to: limit },
      "the store's daily Places API call limit set from this process's DEEP_SCAN_DAILY_CALL_LIMIT",
    );
  }
}

/**
 * A limit typed on the command line: `off` (or `none`) for no limit, else a value the settings
 * schema accepts for DEEP_SCAN_DAILY_CALL_LIMIT (its one sentence when it does not).
 */
export function parseDailyCallLimit(value: string): number | null {
  const trimmed = value.trim();
  if (/^(off|none)$/i.test(trimmed)) return null;
  // An empty value would count as unset (and a blank one as 0): neither is a limit.
  if (trimmed === '') {
    throw new SettingsError(
      'A daily call limit is a whole number of at least 0, or "off" for no limit.',
      ['DEEP_SCAN_DAILY_CALL_LIMIT'],
    );
  }
  return loadSettings({ DEEP_SCAN_DAILY_CALL_LIMIT: trimmed }).DEEP_SCAN_DAILY_CALL_LIMIT!;
}
