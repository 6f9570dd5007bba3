import { SORTABLE_FIELDS, type SortField } from '../../../../src-shared/domain';

export type SortDirection = 'asc' | 'desc';
export interface SortState {
  field: SortField;
  direction: SortDirection;
}

export function isSortField(value: unknown): value is SortField {
  return typeof value === 'string' && (SORTABLE_FIELDS as readonly string[]).includes(value);
}

/** The grid's sort model (column ids are the API field names) to the one sort we keep. */
export function sortStateFromModel(
  model: readonly { colId: string; sort?: SortDirection | string | null }[],
): SortState | null {
  for (const { colId, sort } of model) {
    if (isSortField(colId) && (sort === 'asc' || sort === 'desc')) {
      return { field: colId, direction: sort };
    }
  }
  return null;
}

/** The `sort` query parameter: `field` for ascending, `field:desc` for descending. */
export function toSortParam(sort: SortState | null): string | undefined {
  if (!sort) return undefined;
  return sort.direction === 'desc' ? `${sort.field}:desc` : sort.field;
}
