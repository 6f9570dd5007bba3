import { SettingsError, type Settings } from '../config';
import { openStore } from '../db/store';
import { cliLogOutput, createAppLogger } from '../log-files';
import type { Logger } from '../logger';
import type { ScanTuning } from '../scan/config';
import { hasPlacesApiKey, NO_API_KEY_REASON } from '../scan/progress';
import { applyDailyCallLimitSetting } from '../scan/daily-limit';
import { startScheduler } from '../scan/scheduler';

export interface RunWorkerOptions {
  logger?: Logger;
  workerId?: string;
  tuning?: ScanTuning;
  /** The spend ledger's clock (see SchedulerOptions.clock); tests pin the UTC day. */
  clock?: () => number;
  /** See SchedulerOptions.recordCalls: false only in bench:scan's ledger-off comparison. */
  recordCalls?: boolean;
}

/**
 * `staging-editor worker`: only the deep scan loop, until SIGTERM or SIGINT. The first signal
 * stops claiming, returns unstarted places and lets in-flight scans finish for a few seconds;
 * a second one cuts that short. Either way nothing is left in Processing.
 */
export async function runWorker(settings: Settings, options: RunWorkerOptions = {}): Promise<void> {
  if (!hasPlacesApiKey(settings)) {
    throw new SettingsError(`${NO_API_KEY_REASON}: a worker does nothing else.`);
  }
  // stderr as always; rotating files as well (or instead, without a terminal) when LOG_DIR is set.
  const log = options.logger
    ? { logger: options.logger, logsDir: null, close: async () => {} }
    : createAppLogger({ settings, ...cliLogOutput(settings, Boolean(process.stderr.isTTY)) });
  const { logger } = log;
  // The pool is DATABASE_POOL_SIZE (by default two connections per core: config.ts).
  const store = await openStore(settings).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });
  try {
    // This worker's DEEP_SCAN_DAILY_CALL_LIMIT, if set, is the store's limit (daily-limit.ts).
    await applyDailyCallLimitSetting(store, settings, logger);
  } catch (error) {
    await store.close();
    await log.close();
    throw error;
  }
  const scheduler = startScheduler({
    store,
    settings,
    logger,
    workerId: options.workerId,
    tuning: options.tuning,
    clock: options.clock,
    recordCalls: options.recordCalls,
  });
  console.error(`Deep scan worker ${scheduler.workerId} is scanning ${store.description}.`);
  if (log.logsDir) console.error(`Logs: ${log.logsDir}`);

  const signals = ['SIGTERM', 'SIGINT'] as const;
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  try {
    await new Promise<void>((resolve) => {
      let received = 0;
      onSignal = (signal) => {
        received++;
        logger.info({ signal }, received === 1 ? 'stopping' : 'stopping now');
        void scheduler.stop(received === 1 ? undefined : 0).finally(resolve);
      };
      for (const signal of signals) process.on(signal, onSignal);
    });
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    await store.close();
    await log.close();
  }
}
