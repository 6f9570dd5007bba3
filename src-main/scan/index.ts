/**
 * Deep scans (steps 8 and 9 of workflow.md): the scheduler loop that claims queued places,
 * calls the Places API and records the outcome, safely when several processes share one store.
 * What the rest of the app uses:
 * - `startScheduler` in the backend (desktop, `serve`) and in `staging-editor worker`;
 * - `readScanProgress` for the `scanStatus` operation when no loop runs in this process.
 */
export { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler';
export { readScanProgress, NO_API_KEY_REASON, hasPlacesApiKey } from './progress';
export type { ScanTuning } from './config';
