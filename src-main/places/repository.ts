import type {
  PlaceFilter,
  UndoStatusUpdateOutput,
  UpdateStatusOutput,
} from '../../src-shared/contract';
import type { DeepScanStatus, PlaceStatus } from '../../src-shared/domain';
import type { ListKey } from './queries';
import type { LocalBusinessRow, NewPlaceRow, PlaceRow } from '../db/rows';

/** Which places a status update applies to: listed ids, or every place matching a filter. */
export type UpdateTarget =
  { kind: 'ids'; ids: string[] } | { kind: 'filter'; filter: PlaceFilter; excludeIds: string[] };

export type PlaceListRow = Pick<PlaceRow, ListKey>;

/** A local_businesses row without its raw answer (additional_json) or creation time. */
export type ScanRow = Omit<LocalBusinessRow, 'additional_json' | 'created_at' | 'id'>;

/** Step 6's outcome in the API's terms, less the sentence (the service writes it). */
export type StatusUpdateResult = Omit<UpdateStatusOutput, 'message'>;

export type UndoResult = Omit<UndoStatusUpdateOutput, 'message'>;

export interface QueueResult {
  queued: number;
  /** Selected places whose scan is already queued, running or done. */
  skipped: number;
  /** Places whose status is not Selected: only Selected places are scanned. */
  notSelected: number;
  notFound: string[];
}

export interface FoundPlace {
  place_id: string;
  status: PlaceStatus;
}

/** A queue request's outcome from how many it queued and the requested places that exist. */
export function queueResult(requested: string[], queued: number, found: FoundPlace[]): QueueResult {
  const notSelected = found.filter((p) => p.status !== 'Selected').length;
  return {
    queued,
    skipped: found.length - notSelected - queued,
    notSelected,
    notFound: missingIds(
      requested,
      found.map((p) => p.place_id),
    ),
  };
}

export interface StatusCount {
  status: PlaceStatus;
  deep_scan_status: DeepScanStatus | null;
  n: number;
}

/** Data access for places, one implementation per store; both pass the same tests. */
export interface PlacesRepository {
  /**
   * The `limit` places of the filter in the sort's order after the first `offset`, or, with
   * `after` (a place id that is still there), right after that place (keyset; offset unused).
   */
  listPage(
    filter: PlaceFilter,
    sort: string | undefined,
    limit: number,
    offset: number,
    after?: string,
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
  /** Several updates, each as updateStatus would apply it, in order, in one transaction. */
  updateStatuses(
    decisions: readonly { target: UpdateTarget; status: PlaceStatus }[],
    userId: string,
    now: Date,
  ): Promise<StatusUpdateResult[]>;
  /** What updateStatus would count for this target, without writing anything (no undo token). */
  previewStatusUpdate(target: UpdateTarget, status: PlaceStatus): Promise<StatusUpdateResult>;
  /**
   * Puts back the reviewer's status on the rows of one of the user's recent updates (by its
   * undo token; the journal keeps UNDO_JOURNAL_DEPTH per user) that are still as it left them, with step 6's scan rule (see undoSet in queries.ts); null
   * when there is no such update to undo, or it was applied before `notBefore`.
   */
  undoStatusUpdate(
    token: string,
    userId: string,
    now: Date,
    notBefore: Date,
  ): Promise<UndoResult | null>;
  queueDeepScan(ids: string[], userId: string, now: Date): Promise<QueueResult>;
  countByStatus(): Promise<StatusCount[]>;
  /** What the deep scans of these places stored (local_businesses), less the raw answer. */
  scansOf(placeIds: string[]): Promise<ScanRow[]>;
  /** Inserts new places, skipping place ids already present; returns how many were inserted. */
  insertPlaces(rows: NewPlaceRow[]): Promise<number>;
}

export function missingIds(requested: string[], found: Iterable<string>): string[] {
  const present = new Set(found);
  return requested.filter((id) => !present.has(id));
}
