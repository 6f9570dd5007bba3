import type { Store } from '../db/store';
import { createPgScanQueue } from './pg-queue';
import type { ScanQueue } from './queue';
import { createSqliteScanQueue } from './sqlite-queue';

export interface ScanQueueOptions {
  /** PostgreSQL: open a connection of its own for the heartbeat (leases, sweep) to this URL. */
  heartbeatUrl?: string;
  /** SQLite: the clock (epoch ms); tests inject one. */
  clock?: () => number;
}

export function scanQueueFor(store: Store, options: ScanQueueOptions = {}): ScanQueue {
  return store.kind === 'postgres'
    ? createPgScanQueue(store, { heartbeatUrl: options.heartbeatUrl })
    : createSqliteScanQueue(store, { clock: options.clock });
}
