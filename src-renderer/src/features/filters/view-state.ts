import {
  placeFilterSchema,
  type ListPlacesInput,
  type PlaceFilter,
} from '../../../../src-shared/contract';
import { isSortField, type SortState } from '../grid/sort-param';

/** What the reviewer is looking at: kept in localStorage and restored on start. */
export interface ViewState {
  filter: PlaceFilter;
  sort: SortState | null;
}

export const VIEW_STATE_KEY = 'staging-editor.view.v1';
export const DEFAULT_VIEW_STATE: ViewState = { filter: {}, sort: null };

/** The filter as the API wants it: no empty values, free text trimmed. */
export function compactFilter(filter: PlaceFilter): PlaceFilter {
  const compact: PlaceFilter = {};
  if (filter.status) compact.status = filter.status;
  if (filter.deep_scan_status) compact.deep_scan_status = filter.deep_scan_status;
  const q = filter.q?.trim();
  if (q) compact.q = q;
  return compact;
}

export function isFilterActive(filter: PlaceFilter): boolean {
  return Object.keys(compactFilter(filter)).length > 0;
}

export function sameFilter(a: PlaceFilter, b: PlaceFilter): boolean {
  const x = compactFilter(a);
  const y = compactFilter(b);
  return x.status === y.status && x.deep_scan_status === y.deep_scan_status && x.q === y.q;
}

/** The listPlaces parameters for one filter (paging and sort are added by the grid). */
export function filterToListParams(
  filter: PlaceFilter,
): Pick<ListPlacesInput, 'status' | 'deep_scan_status' | 'q'> {
  return compactFilter(filter);
}

export function serializeViewState(view: ViewState): string {
  return JSON.stringify({ filter: compactFilter(view.filter), sort: view.sort });
}

/** Reads a stored view; anything unreadable or out of date falls back to the defaults, piece by piece. */
export function parseViewState(stored: string | null): ViewState {
  if (!stored) return DEFAULT_VIEW_STATE;
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return DEFAULT_VIEW_STATE;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_VIEW_STATE;
  const { filter, sort } = raw as { filter?: unknown; sort?: unknown };
  const parsedFilter = placeFilterSchema.safeParse(filter ?? {});
  return {
    filter: parsedFilter.success ? compactFilter(parsedFilter.data) : {},
    sort: parseSort(sort),
  };
}

function parseSort(value: unknown): SortState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { field, direction } = value as { field?: unknown; direction?: unknown };
  if (!isSortField(field) || (direction !== 'asc' && direction !== 'desc')) return null;
  return { field, direction };
}
