import {
  importMessage,
  type ExportPlacesInput,
  type ExportPlacesOutput,
  type ImportPlace,
  type ImportPlacesOutput,
  type ListPlacesInput,
  type ListPlacesOutput,
  type PlaceDetail,
  type PlaceFilter,
  type PlacesSummary,
  type QueueDeepScanOutput,
  type UndoStatusUpdateOutput,
  type UpdateStatusInput,
  type UpdateStatusOutput,
  type UpdateStatusesInput,
  type UpdateStatusesOutput,
} from '../../src-shared/contract';
import {
  DEEP_SCAN_FILTER_NONE,
  PLACE_STATUSES,
  UNDO_WINDOW_SECONDS,
  type PlaceStatus,
} from '../../src-shared/domain';
import { AppError } from '../../src-shared/errors';
import {
  describeQueueDeepScan,
  describeStatusUpdate,
  describeUndo,
} from '../../src-shared/messages';
import type { NewPlaceRow } from '../db/rows';
import type { Store } from '../db/store';
import { createPgPlacesRepository } from './pg-repository';
import type { PlacesRepository, StatusUpdateResult, UpdateTarget } from './repository';
import { createSqlitePlacesRepository } from './sqlite-repository';
import { toExportedPlace, toListItem, toPlaceDetail } from './to-output';

export type PlacesService = ReturnType<typeof createPlacesService>;

export function placesRepositoryFor(store: Store): PlacesRepository {
  return store.kind === 'postgres'
    ? createPgPlacesRepository(store.db)
    : createSqlitePlacesRepository(store.db);
}

export interface PlacesServiceOptions {
  /**
   * The repository is this machine's replica with the outbox on (team mode offline): update
   * messages say that the counts are this computer's and the decisions sync later.
   */
  offline?: boolean;
}

/** The places use cases. Inputs are already validated by the router; no tokens here, only user ids. */
/**
 * The number of places a filter matches. Without a search it is a sum over the counts the
 * database keeps by status and scan state (sql/*\/0011, kept in the writing transactions), so a
 * grid's first page never counts millions of rows; a search counts its matches.
 */
export async function pageTotal(repo: PlacesRepository, filter: PlaceFilter): Promise<number> {
  if (filter.q) return repo.count(filter);
  let total = 0;
  for (const row of await repo.countByStatus()) {
    if (filter.status && row.status !== filter.status) continue;
    const scan = row.deep_scan_status ?? DEEP_SCAN_FILTER_NONE;
    if (filter.deep_scan_status && scan !== filter.deep_scan_status) continue;
    total += row.n;
  }
  return total;
}

export function createPlacesService(
  repo: PlacesRepository,
  clock: () => Date = () => new Date(),
  options: PlacesServiceOptions = {},
) {
  const withMessage = (
    status: PlaceStatus,
    result: StatusUpdateResult,
    dryRun = false,
  ): UpdateStatusOutput => {
    const message = describeStatusUpdate(
      status,
      { ...result, not_found_count: result.not_found.length },
      { offline: options.offline },
    );
    return { message: dryRun ? `Not saved (a dry run): ${message}` : message, ...result };
  };

  return {
    async list(input: ListPlacesInput): Promise<ListPlacesOutput> {
      const filter = { status: input.status, deep_scan_status: input.deep_scan_status, q: input.q };
      const offset = (input.page - 1) * input.size;
      const [rows, total] = await Promise.all([
        repo.listPage(filter, input.sort, input.size, offset, input.after),
        input.include_total ? pageTotal(repo, filter) : Promise.resolve(null),
      ]);
      return {
        items: rows.map(toListItem),
        total,
        page: input.page,
        size: input.size,
        pages: total === null ? null : Math.ceil(total / input.size),
      };
    },

    /**
     * A page of an export: the filter's places in place id order after `after`, with their
     * scans. Keyset paging by place id: a place changed meanwhile is in or out of the file as
     * its new state says, and none comes twice. The app never deletes places; if the one the
     * export reached was deleted by hand, the page could not continue after it, so it says so.
     */
    async exportPage(input: ExportPlacesInput): Promise<ExportPlacesOutput> {
      const filter = { status: input.status, deep_scan_status: input.deep_scan_status, q: input.q };
      if (input.after !== undefined && !(await repo.findOne(input.after))) {
        throw new AppError(
          'conflict',
          `The place the export had reached ("${input.after}") is no longer in the store: start the export again.`,
        );
      }
      const rows = await repo.listPage(filter, 'place_id', input.size, 0, input.after);
      const scans = new Map(
        (await repo.scansOf(rows.map((r) => r.place_id))).map((s) => [s.place_id, s]),
      );
      return {
        items: rows.map((row) => toExportedPlace(row, scans.get(row.place_id))),
        next_after: rows.length === input.size ? rows.at(-1)!.place_id : null,
      };
    },

    async get(placeId: string): Promise<PlaceDetail> {
      const found = await repo.findOne(placeId);
      if (!found) throw new AppError('not_found', `No place with id "${placeId}".`);
      return toPlaceDetail(found.place, found.localBusiness);
    },

    async updateStatus(input: UpdateStatusInput, userId: string): Promise<UpdateStatusOutput> {
      const target: UpdateTarget = input.place_ids
        ? { kind: 'ids', ids: [...new Set(input.place_ids)] }
        : {
            kind: 'filter',
            filter: input.filter ?? {},
            excludeIds: [...new Set(input.exclude_ids ?? [])],
          };
      const result = input.dry_run
        ? await repo.previewStatusUpdate(target, input.status)
        : await repo.updateStatus(target, input.status, userId, clock());
      return withMessage(input.status, result, input.dry_run);
    },

    /** Typed-ahead decisions: each its own update (and undo), in order, in one transaction. */
    async updateStatuses(
      input: UpdateStatusesInput,
      userId: string,
    ): Promise<UpdateStatusesOutput> {
      const results = await repo.updateStatuses(
        input.decisions.map((d) => ({
          target: { kind: 'ids', ids: [...new Set(d.place_ids)] },
          status: d.status,
        })),
        userId,
        clock(),
      );
      return { results: results.map((r, i) => withMessage(input.decisions[i]!.status, r)) };
    },

    async undoStatusUpdate(token: string, userId: string): Promise<UndoStatusUpdateOutput> {
      const now = clock();
      const result = await repo.undoStatusUpdate(
        token,
        userId,
        now,
        new Date(now.getTime() - UNDO_WINDOW_SECONDS * 1000),
      );
      if (!result) {
        throw new AppError(
          'conflict',
          `Nothing to undo: an update can be undone once, by the reviewer who made it, within ${UNDO_WINDOW_SECONDS} seconds.`,
        );
      }
      return { message: describeUndo(result), ...result };
    },

    async queueDeepScan(placeIds: string[], userId: string): Promise<QueueDeepScanOutput> {
      const r = await repo.queueDeepScan([...new Set(placeIds)], userId, clock());
      return {
        message: describeQueueDeepScan({
          queued_count: r.queued,
          skipped: r.skipped,
          not_selected: r.notSelected,
          not_found: r.notFound.length,
        }),
        queued_count: r.queued,
        not_selected_count: r.notSelected,
        not_found: r.notFound,
      };
    },

    async summary(): Promise<PlacesSummary> {
      const byStatus = Object.fromEntries(PLACE_STATUSES.map((s) => [s, 0])) as Record<
        PlaceStatus,
        number
      >;
      const byScan = { none: 0, Queued: 0, Processing: 0, Completed: 0, Error: 0 };
      let total = 0;
      for (const row of await repo.countByStatus()) {
        byStatus[row.status] += row.n;
        byScan[row.deep_scan_status ?? 'none'] += row.n;
        total += row.n;
      }
      return { total, by_status: byStatus, by_deep_scan_status: byScan };
    },

    insertPlaces(rows: NewPlaceRow[]): Promise<number> {
      return repo.insertPlaces(rows);
    },

    /**
     * Places from a file, in one transaction: each arrives New and never queued; a place id the
     * store already has (or that came earlier in the same request) is left as it is.
     */
    async importPlaces(places: ImportPlace[]): Promise<ImportPlacesOutput> {
      const inserted = await repo.insertPlaces(places.map(importedRow));
      const skipped = places.length - inserted;
      return { message: importMessage(inserted, skipped), inserted, skipped };
    },
  };
}

/** An imported place as a places_staging row (the API's names to the table's). */
function importedRow(place: ImportPlace): NewPlaceRow {
  return {
    place_id: place.place_id,
    name: place.business_name,
    formatted_address: place.address ?? null,
    business_type: place.category ?? null,
    search_location: place.search_location ?? null,
    search_query: place.search_query ?? null,
    latitude: place.latitude ?? null,
    longitude: place.longitude ?? null,
    rating: place.rating ?? null,
    user_ratings_total: place.reviews_count ?? null,
    price_level: place.price_level ?? null,
    notes: place.notes ?? null,
    status: 'New',
  };
}
