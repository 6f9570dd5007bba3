import { z } from 'zod';
import {
  getPlaceInput,
  listPlacesInput,
  listPlacesOutput,
  placeDetailSchema,
  queueDeepScanInput,
  queueDeepScanOutput,
  undoStatusUpdateInput,
  undoStatusUpdateOutput,
  updateStatusInput,
  updateStatusOutput,
  updateStatusesInput,
  updateStatusesOutput,
} from './places';

import {
  deepScanCountsSchema,
  scanProgressSchema,
  scanSpendInput,
  scanSpendOutput,
} from './events';
import {
  resolveConflictsInput,
  resolveConflictsOutput,
  setOfflineInput,
  syncConflictsOutput,
  syncReceiptsInput,
  syncReceiptsOutput,
  syncRunOutput,
  syncPreviewOutput,
  syncStatusSchema,
} from './sync';
import {
  saveSettingsInput,
  saveSettingsOutput,
  settingsViewSchema,
  testConnectionInput,
  testConnectionOutput,
} from './settings';
import { importPlacesInput, importPlacesOutput } from './import';
import { exportPlacesInput, exportPlacesOutput } from './export';
import { PLACE_STATUSES } from '../domain';

export * from './places';
export * from './events';
export * from './text';
export * from './sync';
export * from './settings';
export * from './import';
export * from './export';

export const placesSummaryOutput = z.object({
  total: z.number().int(),
  by_status: z.object(
    Object.fromEntries(PLACE_STATUSES.map((s) => [s, z.number().int()])) as Record<
      (typeof PLACE_STATUSES)[number],
      z.ZodNumber
    >,
  ),
  by_deep_scan_status: deepScanCountsSchema,
});
export type PlacesSummary = z.infer<typeof placesSummaryOutput>;

export const loadSampleDataInput = z.strictObject({
  count: z.coerce.number().int().min(1).max(100_000).default(500),
  seed: z.coerce.number().int().optional(),
});

export const healthOutput = z.object({
  status: z.literal('ok'),
  version: z.string(),
  store: z.enum(['postgres', 'sqlite']),
  auth: z.enum(['hs256', 'public-key', 'jwks', 'local']),
});

export interface OperationDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  http: {
    method: 'GET' | 'PUT' | 'POST' | 'DELETE';
    /** Fastify-style path; `:name` segments are merged into the input. */
    path: string;
    /** Where the rest of the input comes from. */
    source: 'query' | 'body';
    successStatus: number;
  };
  /** False only for the health check. */
  auth: boolean;
}

const op = <I extends z.ZodType, O extends z.ZodType>(def: OperationDef<I, O>) => def;

/** Every operation, once: both transports and the renderer's client are built from this table. */
export const contract = {
  health: op({
    input: z.object({}),
    output: healthOutput,
    http: { method: 'GET', path: '/api/v3/health', source: 'query', successStatus: 200 },
    auth: false,
  }),
  listPlaces: op({
    input: listPlacesInput,
    output: listPlacesOutput,
    http: { method: 'GET', path: '/api/v3/places/staging', source: 'query', successStatus: 200 },
    auth: true,
  }),
  getPlace: op({
    input: getPlaceInput,
    output: placeDetailSchema,
    http: {
      method: 'GET',
      path: '/api/v3/places/staging/:place_id',
      source: 'query',
      successStatus: 200,
    },
    auth: true,
  }),
  updateStatus: op({
    input: updateStatusInput,
    output: updateStatusOutput,
    http: {
      method: 'PUT',
      path: '/api/v3/places/staging/status',
      source: 'body',
      successStatus: 200,
    },
    auth: true,
  }),
  updateStatuses: op({
    input: updateStatusesInput,
    output: updateStatusesOutput,
    http: {
      method: 'POST',
      path: '/api/v3/places/staging/status/batch',
      source: 'body',
      successStatus: 200,
    },
    auth: true,
  }),
  undoStatusUpdate: op({
    input: undoStatusUpdateInput,
    output: undoStatusUpdateOutput,
    http: {
      method: 'POST',
      path: '/api/v3/places/staging/status/undo',
      source: 'body',
      successStatus: 200,
    },
    auth: true,
  }),
  queueDeepScan: op({
    input: queueDeepScanInput,
    output: queueDeepScanOutput,
    http: {
      method: 'PUT',
      path: '/api/v3/places/staging/queue-deep-scan',
      source: 'body',
      successStatus: 202,
    },
    auth: true,
  }),
  placesSummary: op({
    input: z.object({}),
    output: placesSummaryOutput,
    http: { method: 'GET', path: '/api/v3/places/summary', source: 'query', successStatus: 200 },
    auth: true,
  }),
  loadSampleData: op({
    input: loadSampleDataInput,
    output: z.object({ message: z.string(), inserted: z.number().int() }),
    http: {
      method: 'POST',
      path: '/api/v3/places/sample-data',
      source: 'body',
      successStatus: 201,
    },
    auth: true,
  }),
  importPlaces: op({
    input: importPlacesInput,
    output: importPlacesOutput,
    http: { method: 'POST', path: '/api/v3/places/import', source: 'body', successStatus: 201 },
    auth: true,
  }),
  exportPlaces: op({
    input: exportPlacesInput,
    output: exportPlacesOutput,
    http: { method: 'GET', path: '/api/v3/places/export', source: 'query', successStatus: 200 },
    auth: true,
  }),
  scanStatus: op({
    input: z.object({}),
    output: scanProgressSchema,
    http: { method: 'GET', path: '/api/v3/scan/status', source: 'query', successStatus: 200 },
    auth: true,
  }),
  scanSpend: op({
    input: scanSpendInput,
    output: scanSpendOutput,
    http: { method: 'GET', path: '/api/v3/scan/spend', source: 'query', successStatus: 200 },
    auth: true,
  }),
  syncStatus: op({
    input: z.object({}),
    output: syncStatusSchema,
    http: { method: 'GET', path: '/api/v3/sync/status', source: 'query', successStatus: 200 },
    auth: true,
  }),
  syncConflicts: op({
    input: z.object({}),
    output: syncConflictsOutput,
    http: { method: 'GET', path: '/api/v3/sync/conflicts', source: 'query', successStatus: 200 },
    auth: true,
  }),
  resolveConflicts: op({
    input: resolveConflictsInput,
    output: resolveConflictsOutput,
    http: {
      method: 'POST',
      path: '/api/v3/sync/conflicts/resolve',
      source: 'body',
      successStatus: 200,
    },
    auth: true,
  }),
  syncReceipts: op({
    input: syncReceiptsInput,
    output: syncReceiptsOutput,
    http: { method: 'GET', path: '/api/v3/sync/receipts', source: 'query', successStatus: 200 },
    auth: true,
  }),
  syncPreview: op({
    input: z.object({}),
    output: syncPreviewOutput,
    http: { method: 'GET', path: '/api/v3/sync/preview', source: 'query', successStatus: 200 },
    auth: true,
  }),
  setOffline: op({
    input: setOfflineInput,
    output: syncStatusSchema,
    http: { method: 'PUT', path: '/api/v3/sync/offline', source: 'body', successStatus: 200 },
    auth: true,
  }),
  syncNow: op({
    input: z.object({}),
    output: syncRunOutput,
    http: { method: 'POST', path: '/api/v3/sync', source: 'body', successStatus: 200 },
    auth: true,
  }),
  getSettings: op({
    input: z.object({}),
    output: settingsViewSchema,
    http: { method: 'GET', path: '/api/v3/settings', source: 'query', successStatus: 200 },
    auth: true,
  }),
  saveSettings: op({
    input: saveSettingsInput,
    output: saveSettingsOutput,
    http: { method: 'PUT', path: '/api/v3/settings', source: 'body', successStatus: 200 },
    auth: true,
  }),
  testConnection: op({
    input: testConnectionInput,
    output: testConnectionOutput,
    http: { method: 'POST', path: '/api/v3/settings/test', source: 'body', successStatus: 200 },
    auth: true,
  }),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
export type OperationOutput<N extends OperationName> = z.infer<Contract[N]['output']>;

export const operationNames = Object.keys(contract) as OperationName[];
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
