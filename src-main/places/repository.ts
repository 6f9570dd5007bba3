import type { PlaceFilter } from '../../src-shared/contract';
import type { DeepScanStatus, PlaceStatus } from '../../src-shared/domain';
import type { ListKey } from './queries';
import type { LocalBusinessRow, NewPlaceRow, PlaceRow } from '../db/rows';

/** Which places a status update applies to: listed ids, or every place matching a filter. */
export type UpdateTarget =
  { kind: 'ids'; ids: string[] } | { kind: 'filter'; filter: PlaceFilter; excludeIds: string[] };

export type PlaceListRow = Pick<PlaceRow, ListKey>;

export interface StatusUpdateResult {
  matched: number;
  updated: number;
  queued: number;
  dequeued: number;
  alreadyScanned: number;
  alreadyInQueue: number;
  notFound: string[];
}

export interface QueueResult {
  queued: number;
  skipped: number;
  notFound: string[];
}

export interface StatusCount {
  status: PlaceStatus;
  deep_scan_status: DeepScanStatus | null;
  n: number;
}

/** Data access for places, one implementation per store; both pass the same tests. */
export interface PlacesRepository {
  listPage(
    filter: PlaceFilter,
    sort: string | undefined,
    limit: number,
    offset: number,
  ): Promise<PlaceListRow[]>;
  count(filter: PlaceFilter): Promise<number>;
  findOne(
    placeId: string,
  ): Promise<{ place: PlaceRow; localBusiness: LocalBusinessRow | null } | null>;
  /** Step 6 of workflow.md, in one transaction. */
  updateStatus(
    target: UpdateTarget,
    status: PlaceStatus,
    userId: string,
    now: Date,
  ): Promise<StatusUpdateResult>;
  queueDeepScan(ids: string[], userId: string, now: Date): Promise<QueueResult>;
  countByStatus(): Promise<StatusCount[]>;
  /** Inserts new places, skipping place ids already present; returns how many were inserted. */
  insertPlaces(rows: NewPlaceRow[]): Promise<number>;
}

export function missingIds(requested: string[], found: Iterable<string>): string[] {
  const present = new Set(found);
  return requested.filter((id) => !present.has(id));
}
