/**
 * A scan worker process for the tests and the benchmark: `staging-editor worker` with the
 * settings from the environment, plus SCAN_TEST_WORKER_ID, SCAN_TEST_TUNING (JSON) and
 * SCAN_TEST_CLOCK_START (epoch ms: the ledger's clock starts there and runs at the real pace,
 * so a test pins the UTC day the daily call limit counts).
 * Run with `node --import tsx test/scan/worker-entry.ts`.
 */
import { runWorker } from '../../src-main/cli/worker';
import { loadSettings } from '../../src-main/config';

const tuning = process.env.SCAN_TEST_TUNING ? JSON.parse(process.env.SCAN_TEST_TUNING) : {};
const clockStart = Number(process.env.SCAN_TEST_CLOCK_START ?? NaN);
const startedAt = Date.now();
const clock = Number.isFinite(clockStart) ? () => clockStart + (Date.now() - startedAt) : undefined;
try {
  await runWorker(loadSettings(), { workerId: process.env.SCAN_TEST_WORKER_ID, tuning, clock });
  process.exit(0);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
