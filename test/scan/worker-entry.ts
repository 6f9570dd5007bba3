/**
 * A scan worker process for the tests and the benchmark: `staging-editor worker` with the
 * settings from the environment, plus SCAN_TEST_WORKER_ID and SCAN_TEST_TUNING (JSON).
 * Run with `node --import tsx test/scan/worker-entry.ts`.
 */
import { runWorker } from '../../src-main/cli/worker';
import { loadSettings } from '../../src-main/config';

const tuning = process.env.SCAN_TEST_TUNING ? JSON.parse(process.env.SCAN_TEST_TUNING) : {};
try {
  await runWorker(loadSettings(), { workerId: process.env.SCAN_TEST_WORKER_ID, tuning });
  process.exit(0);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
