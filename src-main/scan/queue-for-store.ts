import type { Store } from '../db/store';
import { createPgScanQueue } from './pg-queue';
import type { ScanQueue } from './queue';
import { createSqliteScanQueue } from './sqlite-queue';

export function scanQueueFor(store: Store): ScanQueue {
  return store.kind === 'postgres' ? createPgScanQueue(store) : createSqliteScanQueue(store);
}
