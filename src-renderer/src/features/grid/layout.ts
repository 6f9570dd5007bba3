import type { ColDef, ColumnState } from 'ag-grid-community';

/**
 * How the reviewer arranged the grid: column order, widths and visibility, row density, whether
 * the summary is folded away and whether the side panel (details and summary) is hidden. Kept in localStorage beside the view (filter and sort),
 * read back piece by piece so a stale or hand-edited value never loses the rest.
 */
export type Density = 'compact' | 'comfortable';

export interface ColumnLayout {
  id: string;
  width: number;
  hidden: boolean;
}

export interface GridLayout {
  columns: ColumnLayout[];
  density: Density;
  summaryCollapsed: boolean;
  /** The side panel put away, its width given to the grid (a layout saved before it: shown). */
  sidePanelHidden: boolean;
}

/** What the layout needs to know of each column (from its ColDef). */
export interface LayoutColumn {
  id: string;
  /** The header, as the column chooser lists it. */
  label: string;
  width: number;
  minWidth: number;
  maxWidth: number;
  /** Can't be hidden: the columns reviewers decide by. */
  locked: boolean;
}

export const LAYOUT_KEY = 'staging-editor.layout.v1';

/** Compact fits 19 rows on a 768 px screen; comfortable is the roomier older look. */
export const ROW_HEIGHTS: Record<Density, { row: number; header: number }> = {
  compact: { row: 30, header: 34 },
  comfortable: { row: 42, header: 44 },
};

const MAX_WIDTH = 1000;

export function layoutColumns(defs: readonly ColDef[]): LayoutColumn[] {
  return defs.map((def) => {
    const id = def.colId ?? def.field;
    if (!id) throw new Error('Every column needs a colId or a field.');
    const minWidth = def.minWidth ?? 50;
    return {
      id,
      label: def.headerName ?? id,
      width: def.width ?? 150,
      minWidth,
      maxWidth: def.maxWidth ?? MAX_WIDTH,
      locked: def.lockVisible === true,
    };
  });
}

export function defaultLayout(columns: readonly LayoutColumn[]): GridLayout {
  return {
    columns: columns.map(({ id, width }) => ({ id, width, hidden: false })),
    density: 'compact',
    summaryCollapsed: false,
    sidePanelHidden: false,
  };
}

/**
 * Reads a stored layout against today's columns: unknown ids are dropped, new columns take their
 * default place, widths are kept inside each column's limits, locked columns are shown.
 */
export function parseLayout(stored: string | null, columns: readonly LayoutColumn[]): GridLayout {
  const fallback = defaultLayout(columns);
  if (!stored) return fallback;
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return fallback;
  }
  if (typeof raw !== 'object' || raw === null) return fallback;
  const {
    columns: storedColumns,
    density,
    summaryCollapsed,
    sidePanelHidden,
  } = raw as Record<string, unknown>;
  return {
    columns: parseColumns(storedColumns, columns),
    density: density === 'comfortable' || density === 'compact' ? density : fallback.density,
    summaryCollapsed: typeof summaryCollapsed === 'boolean' ? summaryCollapsed : false,
    sidePanelHidden: typeof sidePanelHidden === 'boolean' ? sidePanelHidden : false,
  };
}

function parseColumns(value: unknown, columns: readonly LayoutColumn[]): ColumnLayout[] {
  const byId = new Map(columns.map((column) => [column.id, column]));
  const kept: ColumnLayout[] = [];
  if (Array.isArray(value)) {
    for (const entry of value as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { id, width, hidden } = entry as Record<string, unknown>;
      const column = typeof id === 'string' ? byId.get(id) : undefined;
      if (!column || kept.some((k) => k.id === column.id)) continue;
      kept.push({
        id: column.id,
        width: clampWidth(typeof width === 'number' ? width : column.width, column),
        hidden: hidden === true && !column.locked,
      });
    }
  }
  // Columns the stored layout doesn't know (new in this version) go after their default neighbour.
  columns.forEach((column, index) => {
    if (kept.some((k) => k.id === column.id)) return;
    const before = columns[index - 1]?.id;
    const at = before === undefined ? 0 : kept.findIndex((k) => k.id === before) + 1;
    kept.splice(at, 0, { id: column.id, width: column.width, hidden: false });
  });
  return kept;
}

function clampWidth(width: number, column: LayoutColumn): number {
  if (!Number.isFinite(width)) return column.width;
  return Math.round(Math.min(column.maxWidth, Math.max(column.minWidth, width)));
}

export function serializeLayout(layout: GridLayout): string {
  return JSON.stringify(layout);
}

/** The grid's column state for this layout (order, widths, visibility; pinning stays the ColDef's). */
export function toColumnState(layout: GridLayout): ColumnState[] {
  return layout.columns.map(({ id, width, hidden }) => ({ colId: id, width, hide: hidden }));
}

/** The layout after the reviewer moved, resized or hid columns in the grid itself. */
export function withColumnState(
  layout: GridLayout,
  state: readonly ColumnState[],
  columns: readonly LayoutColumn[],
): GridLayout {
  const byId = new Map(columns.map((column) => [column.id, column]));
  const next: ColumnLayout[] = [];
  for (const { colId, width, hide } of state) {
    const column = byId.get(colId);
    if (!column) continue; // the selection column and anything else that isn't a place field
    next.push({
      id: colId,
      width: clampWidth(width ?? column.width, column),
      hidden: hide === true && !column.locked,
    });
  }
  const merged = parseColumns(next, columns);
  return sameColumns(merged, layout.columns) ? layout : { ...layout, columns: merged };
}

export function withColumnHidden(
  layout: GridLayout,
  id: string,
  hidden: boolean,
  columns: readonly LayoutColumn[],
): GridLayout {
  if (columns.find((column) => column.id === id)?.locked) return layout;
  return {
    ...layout,
    columns: layout.columns.map((column) => (column.id === id ? { ...column, hidden } : column)),
  };
}

/** Back to the shipped columns and density; the summary's fold and the side panel are not column matters. */
export function resetColumns(layout: GridLayout, columns: readonly LayoutColumn[]): GridLayout {
  return {
    ...defaultLayout(columns),
    summaryCollapsed: layout.summaryCollapsed,
    sidePanelHidden: layout.sidePanelHidden,
  };
}

/** The side panel hidden (its width to the grid) or shown again. */
export function withSidePanelHidden(layout: GridLayout, hidden: boolean): GridLayout {
  return layout.sidePanelHidden === hidden ? layout : { ...layout, sidePanelHidden: hidden };
}

export function sameColumns(a: readonly ColumnLayout[], b: readonly ColumnLayout[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (column, i) =>
        column.id === b[i]!.id && column.width === b[i]!.width && column.hidden === b[i]!.hidden,
    )
  );
}

/** The column definitions in the layout's order, with its widths and visibility. */
export function arrangeColumns<T extends ColDef>(defs: readonly T[], layout: GridLayout): T[] {
  const byId = new Map(defs.map((def) => [def.colId ?? def.field, def]));
  return layout.columns.flatMap(({ id, width, hidden }) => {
    const def = byId.get(id);
    return def ? [{ ...def, width, hide: hidden }] : [];
  });
}
