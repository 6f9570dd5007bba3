import type { AuthMode } from '../auth';
import type { EventBus } from '../events';
import type { PlacesService } from '../places/service';
import type { SampleDataLoader } from '../places/sample-data-loader';
import type { SyncService } from '../sync/service';
import type { Handlers } from './handlers';

export interface HandlerDeps {
  places: PlacesService;
  sampleData: SampleDataLoader;
  events: EventBus;
  storeKind: 'postgres' | 'sqlite';
  authMode: AuthMode;
  version: string;
  scanStatus: Handlers['scanStatus'];
  scanSpend: Handlers['scanSpend'];
  sync: SyncService;
}

/** The contract's operations bound to the services; each one is a single delegation. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { places, events } = deps;
  return {
    health: async () => ({
      status: 'ok',
      version: deps.version,
      store: deps.storeKind,
      auth: deps.authMode === 'public-key' ? 'public-key' : deps.authMode,
    }),
    listPlaces: (input) => places.list(input),
    getPlace: (input) => places.get(input.place_id),
    updateStatus: async (input, ctx) => {
      const result = await places.updateStatus(input, ctx.userId!);
      if (input.dry_run) return result;
      events.emit('placesChanged', { place_ids: input.place_ids ?? null, reason: 'status' });
      return result;
    },
    updateStatuses: async (input, ctx) => {
      const result = await places.updateStatuses(input, ctx.userId!);
      const ids = [...new Set(input.decisions.flatMap((d) => d.place_ids))];
      events.emit('placesChanged', { place_ids: ids, reason: 'status' });
      return result;
    },
    undoStatusUpdate: async (input, ctx) => {
      const result = await places.undoStatusUpdate(input.undo_token, ctx.userId!);
      events.emit('placesChanged', { place_ids: null, reason: 'status' });
      return result;
    },
    queueDeepScan: async (input, ctx) => {
      const result = await places.queueDeepScan(input.place_ids, ctx.userId!);
      events.emit('placesChanged', { place_ids: input.place_ids, reason: 'status' });
      return result;
    },
    placesSummary: () => places.summary(),
    loadSampleData: async (input) => {
      const seed = input.seed ?? Math.floor(Math.random() * 2 ** 31);
      const inserted = await deps.sampleData.load(input.count, seed);
      events.emit('placesChanged', { place_ids: null, reason: 'import' });
      return { message: `${inserted} sample places loaded`, inserted };
    },
    exportPlaces: (input) => places.exportPage(input),
    importPlaces: async (input) => {
      const result = await places.importPlaces(input.places);
      if (result.inserted > 0) events.emit('placesChanged', { place_ids: null, reason: 'import' });
      return result;
    },
    scanStatus: deps.scanStatus,
    scanSpend: deps.scanSpend,
    syncStatus: () => deps.sync.status(),
    syncConflicts: (_input, ctx) => deps.sync.conflicts(ctx.userId!),
    resolveConflicts: (input, ctx) => deps.sync.resolve(input, ctx.userId!),
    syncReceipts: (input, ctx) => deps.sync.receipts(input.limit, ctx.userId!),
    syncPreview: () => deps.sync.preview(),
    setOffline: (input) => deps.sync.setOffline(input.offline),
    syncNow: () => deps.sync.syncNow(),
  };
}
