import type { ResolveConflictsOutput } from '../../src-shared/contract/sync';
import type { PlaceStatus } from '../../src-shared/domain';
import { AppError } from '../../src-shared/errors';
import type { PgStore, SqliteStore } from '../db/store';
import type { EventBus } from '../events';
import type { SampleDataLoader } from '../places/sample-data-loader';
import { createPlacesService, type PlacesService } from '../places/service';
import { createPgPlacesRepository } from '../places/pg-repository';
import { createSqlitePlacesRepository } from '../places/sqlite-repository';
import { isTemporaryFailure } from './apply-mutations';
import type { SyncEngine } from './engine';
import { conflictsOn, listConflicts, listReceipts, markResolved } from './inbox';
import { describePreview, previewOutbox } from './run';
import type { SyncService } from './service';

/** The places service on this computer's replica: every decision goes to the outbox. */
export function replicaPlaces(
  replica: SqliteStore,
  clock: () => Date = () => new Date(),
): PlacesService {
  return createPlacesService(createSqlitePlacesRepository(replica.db, { outbox: true }), clock, {
    offline: true,
  });
}

/**
 * Team mode's places service: the shared store's while the engine says online, the replica's
 * (with the outbox, offline messages) otherwise. The renderer sees one service either way.
 *
 * A read that finds the shared store gone is answered from the replica at once (and the engine
 * is told, so it goes offline and probes). A write that fails that way is not redone on the
 * replica: whether it committed is unknown, so the reviewer gets the usual "nothing was changed,
 * try again" 503, and the retry lands on the replica.
 */
export function createTeamPlaces(
  engine: SyncEngine,
  replica: SqliteStore,
  clock: () => Date = () => new Date(),
): { places: PlacesService; offline: PlacesService } {
  const offline = replicaPlaces(replica, clock);
  let onlineFor: PgStore | null = null;
  let onlineService: PlacesService | null = null;
  const shared = (): PlacesService | null => {
    const store = engine.online ? engine.shared : null;
    if (!store) return null;
    if (onlineFor !== store) {
      onlineFor = store;
      onlineService = createPlacesService(createPgPlacesRepository(store.db), clock);
    }
    return onlineService;
  };

  type Fn = (...args: never[]) => Promise<unknown>;
  /** A read falls back to the replica when the shared store is gone; a write reports and fails. */
  const route =
    <K extends keyof PlacesService>(name: K, kind: 'read' | 'write') =>
    async (...args: Parameters<PlacesService[K]>) => {
      const service = shared();
      if (service) {
        try {
          return await (service[name] as Fn)(...(args as never[]));
        } catch (error) {
          if (!isTemporaryFailure(error)) throw error;
          engine.reportFailure(error);
          if (kind === 'write') throw error;
        }
      }
      const result = await (offline[name] as Fn)(...(args as never[]));
      if (kind === 'write') engine.changed();
      return result;
    };
  const read = <K extends keyof PlacesService>(name: K) => route(name, 'read');
  const write = <K extends keyof PlacesService>(name: K) => route(name, 'write');
  /** A write only the shared store takes: while it is unreachable, nothing is written. */
  const sharedOnly = <K extends keyof PlacesService>(name: K, unreachable: string) => {
    const send = write(name);
    return (async (...args: Parameters<PlacesService[K]>) => {
      if (!shared()) {
        throw new AppError('unavailable', unreachable, undefined, { retryAfterSeconds: 5 });
      }
      return send(...args);
    }) as PlacesService[K];
  };

  const places: PlacesService = {
    list: read('list') as PlacesService['list'],
    get: read('get') as PlacesService['get'],
    exportPage: read('exportPage') as PlacesService['exportPage'],
    summary: read('summary') as PlacesService['summary'],
    updateStatus: write('updateStatus') as PlacesService['updateStatus'],
    updateStatuses: write('updateStatuses') as PlacesService['updateStatuses'],
    undoStatusUpdate: write('undoStatusUpdate') as PlacesService['undoStatusUpdate'],
    queueDeepScan: sharedOnly(
      'queueDeepScan',
      'Deep scans are queued on the shared store, which is unreachable now: nothing was queued. Places you set to Selected are queued when your decisions sync.',
    ),
    // A place added to the replica would never reach the team: sync sends decisions only.
    importPlaces: sharedOnly(
      'importPlaces',
      'Places are imported into the shared store, which is unreachable now: the places of this request were not imported.',
    ),
    insertPlaces: sharedOnly(
      'insertPlaces',
      'Places are added to the shared store, which is unreachable now: nothing was added.',
    ),
  };
  return { places, offline };
}

/** Sample data goes to the shared store, only while it answers. */
export function teamSampleData(
  engine: SyncEngine,
  loaderFor: (store: PgStore) => SampleDataLoader,
): SampleDataLoader {
  let loaderStore: PgStore | null = null;
  let loader: SampleDataLoader | null = null;
  return {
    load: (count, seed) => {
      const store = engine.online ? engine.shared : null;
      if (!store) {
        throw new AppError(
          'unavailable',
          'Sample data is loaded into the shared store, which is unreachable now: nothing was added.',
          undefined,
          { retryAfterSeconds: 5 },
        );
      }
      if (loaderStore !== store) {
        loaderStore = store;
        loader = loaderFor(store);
      }
      return loader!.load(count, seed);
    },
  };
}

/** The contract's sync operations in team mode. */
export function teamSyncService(deps: {
  engine: SyncEngine;
  replica: SqliteStore;
  offline: PlacesService;
  events: Pick<EventBus, 'emit'>;
  clock?: () => Date;
}): SyncService {
  const { engine, replica } = deps;
  const clock = deps.clock ?? (() => new Date());
  return {
    status: async () => engine.status(),
    conflicts: async (userId) => ({ items: listConflicts(replica, userId) }),
    async resolve(input, userId): Promise<ResolveConflictsOutput> {
      const ids = [...new Set(input.place_ids)];
      const mine = conflictsOn(replica, userId, ids);
      const found = ids.filter((id) => mine.has(id));
      if (input.keep === 'mine') {
        // My decision again, on the colleague's revision (the replica row carries it since the
        // conflict was answered): a new outbox entry, pushed like any other.
        const byTarget = new Map<PlaceStatus, string[]>();
        for (const id of found)
          byTarget.set(mine.get(id)!, [...(byTarget.get(mine.get(id)!) ?? []), id]);
        for (const [status, placeIds] of byTarget) {
          await deps.offline.updateStatus({ place_ids: placeIds, status }, userId);
        }
      }
      if (found.length) markResolved(replica, userId, found, input.keep, clock());
      if (found.length) {
        deps.events.emit('placesChanged', { place_ids: found, reason: 'sync' });
        engine.changed();
      }
      const n = found.length;
      const what = n === 1 ? 'conflict' : 'conflicts';
      return {
        message:
          n === 0
            ? 'No conflicts of yours on those places: nothing to resolve.'
            : input.keep === 'mine'
              ? `${n} ${what} resolved: your ${n === 1 ? 'decision is' : 'decisions are'} sent again${engine.online ? '' : ' when the shared store answers'}.`
              : `${n} ${what} resolved: the shared store's ${n === 1 ? 'status stands' : 'statuses stand'}.`,
        resolved_count: n,
        not_found: ids.filter((id) => !mine.has(id)),
      };
    },
    receipts: async (limit, userId) => ({ items: listReceipts(replica, userId, limit) }),
    async preview() {
      const shared = engine.shared;
      const unavailable = (why: string) =>
        new AppError(
          'unavailable',
          `${why}: no preview now. Your decisions stay on this computer.`,
          undefined,
          {
            retryAfterSeconds: 5,
          },
        );
      if (!shared) throw unavailable('The shared store has not been reached yet');
      try {
        const p = await previewOutbox(shared, replica);
        return { message: describePreview(p), ...p };
      } catch (error) {
        if (isTemporaryFailure(error)) throw unavailable('The shared store is unreachable');
        throw error;
      }
    },
    setOffline: async (offline) => engine.setForcedOffline(offline),
    syncNow: () => engine.syncNow(),
  };
}
