import type { EventName, OperationName } from '../../src-shared/contract';

/**
 * The preload's allow-lists. They are written out because the sandboxed preload may load nothing
 * but 'electron' at run time, and the contract module would pull zod in. The types below stop the
 * build when a contract name is missing here; bridge-names.test.ts checks the lists are equal.
 */
export const BRIDGE_OPERATION_NAMES = [
  'health',
  'listPlaces',
  'getPlace',
  'updateStatus',
  'updateStatuses',
  'undoStatusUpdate',
  'queueDeepScan',
  'placesSummary',
  'loadSampleData',
  'importPlaces',
  'exportPlaces',
  'scanStatus',
  'scanSpend',
  'syncStatus',
  'syncConflicts',
  'resolveConflicts',
  'syncReceipts',
  'syncPreview',
  'setOffline',
  'syncNow',
  'getSettings',
  'saveSettings',
  'testConnection',
] as const satisfies readonly OperationName[];

export const BRIDGE_EVENT_NAMES = [
  'placesChanged',
  'scanProgress',
  'syncStatus',
  'backendStatus',
] as const satisfies readonly EventName[];

type ListsEveryName<Missing extends never> = Missing;
export type OperationNamesAreListed = ListsEveryName<
  Exclude<OperationName, (typeof BRIDGE_OPERATION_NAMES)[number]>
>;
export type EventNamesAreListed = ListsEveryName<
  Exclude<EventName, (typeof BRIDGE_EVENT_NAMES)[number]>
>;

const operationNames = new Set<unknown>(BRIDGE_OPERATION_NAMES);
const eventNames = new Set<unknown>(BRIDGE_EVENT_NAMES);

export function isBridgeOperationName(name: unknown): name is OperationName {
  return operationNames.has(name);
}

export function isBridgeEventName(name: unknown): name is EventName {
  return eventNames.has(name);
}
