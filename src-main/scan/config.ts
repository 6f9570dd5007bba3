import type { Settings } from '../config';

/**
 * The scan loop's knobs in milliseconds. The first six (and maxPauseMs) come from the validated settings
 * (DEEP_SCAN_*); the rest are tuning with sensible defaults that tests and benchmarks shorten.
 */
export interface ScanConfig {
  /** Poll period when the queue is empty (jittered by +-20%). */
  intervalMs: number;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  /** API calls per second across every process sharing the store. */
  ratePerSecond: number;
  /** First retry delay after a transient failure; doubles per attempt, +-25% jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a graceful stop lets in-flight scans finish before returning them. */
  graceMs: number;
  /** Period of lease extension and the worker heartbeat (default: 5 s, or a third of the lease). */
  heartbeatMs: number;
  /** How often a busy loop re-reads the shared pause before starting buffered scans. */
  controlRefreshMs: number;
  /** After "Places API key rejected", how long before one place is tried again. */
  authRetryMs: number;
  /** The longest pause or retry delay (DEEP_SCAN_MAX_PAUSE_SECONDS); every other delay is capped. */
  maxPauseMs: number;
  /** How often a result the store failed to record is written again before the claim is returned. */
  storeRetries: number;
  /** First delay before writing a result again; doubles per try (capped by maxPauseMs). */
  storeRetryBaseMs: number;
  /** How often progress events are pushed while something changes. */
  progressIntervalMs: number;
  /** Timeout of one Places API request. */
  requestTimeoutMs: number;
}

export type ScanTuning = Partial<
  Pick<
    ScanConfig,
    | 'retryBaseMs'
    | 'retryMaxMs'
    | 'graceMs'
    | 'heartbeatMs'
    | 'controlRefreshMs'
    | 'authRetryMs'
    | 'storeRetries'
    | 'storeRetryBaseMs'
    | 'progressIntervalMs'
    | 'requestTimeoutMs'
  >
>;

export function scanConfig(settings: Settings, tuning: ScanTuning = {}): ScanConfig {
  const leaseMs = settings.DEEP_SCAN_LEASE_SECONDS * 1000;
  const maxPauseMs = settings.DEEP_SCAN_MAX_PAUSE_SECONDS * 1000;
  return {
    intervalMs: settings.DEEP_SCAN_INTERVAL_SECONDS * 1000,
    batchSize: settings.DEEP_SCAN_BATCH_SIZE,
    concurrency: settings.DEEP_SCAN_MAX_CONCURRENCY,
    leaseMs,
    maxAttempts: settings.DEEP_SCAN_MAX_ATTEMPTS,
    ratePerSecond: settings.DEEP_SCAN_RATE_PER_SECOND,
    retryBaseMs: tuning.retryBaseMs ?? 5_000,
    retryMaxMs: Math.min(maxPauseMs, tuning.retryMaxMs ?? 10 * 60_000),
    graceMs: tuning.graceMs ?? 5_000,
    // Often enough that a lease never runs out under a live worker, and that the throughput
    // other processes read (scan_workers) is at most a few seconds old.
    heartbeatMs: tuning.heartbeatMs ?? Math.max(250, Math.min(5_000, Math.floor(leaseMs / 3))),
    controlRefreshMs: tuning.controlRefreshMs ?? 1_000,
    authRetryMs: Math.min(maxPauseMs, tuning.authRetryMs ?? 5 * 60_000),
    maxPauseMs,
    storeRetries: tuning.storeRetries ?? 4,
    storeRetryBaseMs: tuning.storeRetryBaseMs ?? 500,
    progressIntervalMs: tuning.progressIntervalMs ?? 2_000,
    // A request must end well inside its lease, or a slow answer loses the place to a sweep.
    requestTimeoutMs: tuning.requestTimeoutMs ?? Math.min(10_000, Math.max(1_000, leaseMs / 2)),
  };
}
