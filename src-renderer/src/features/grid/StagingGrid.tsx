import type {
  CellClickedEvent,
  CellFocusedEvent,
  GridApi,
  GridReadyEvent,
  ModelUpdatedEvent,
  NavigateToNextCellParams,
  RowClassRules,
  RowSelectedEvent,
  RowSelectionOptions,
  SelectionChangedEvent,
} from 'ag-grid-community';
import { SELECTION_COLUMN_ID } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { memo, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import type { PlaceFilter, PlaceListItem } from '../../../../src-shared/contract';
import type { AppError } from '../../../../src-shared/errors';
import { useClient } from '../../api/client-context';
import { useLatest } from '../../app/use-latest';
import { usePrefersDark } from '../../app/use-prefers-dark';
import {
  cursorAfterFocusEvent,
  focusedRow,
  focusRowAt,
  followCursor,
  gridHasFocus,
  type FocusedRow,
} from '../decide/grid-cursor';
import { applySelectionToGrid, USER_SELECTION_SOURCES } from '../selection/grid-selection-sync';
import type { Selection, SelectionAction } from '../selection/selection';
import { placeColumns } from './columns';
// Registers the AG Grid modules the grid uses (this file is the grid's own chunk).
import { darkGridTheme, lightGridTheme } from './grid-setup';
import {
  arrangeColumns,
  ROW_HEIGHTS,
  sameColumns,
  toColumnState,
  withColumnState,
  type GridLayout,
} from './layout';
import { BLOCK_SIZE, createPlacesDatasource } from './places-datasource';
import { sortStateFromModel, type SortState } from './sort-param';
import { PLACE_LAYOUT_COLUMNS } from './use-grid-layout';

/** What the rest of the workspace may ask of the grid. */
export interface GridHandle {
  /** Re-reads the loaded rows in place (keeps scroll and selection) and recounts the total. */
  refresh(): void;
  /** Re-reads only if one of these places is on screen (null: any change). */
  refreshIfShown(placeIds: readonly string[] | null): void;
  focusedPlaceId(): string | null;
  /** The focused row (its place null until its block loads), or null when no row has focus. */
  focusedRow(): FocusedRow | null;
  /** Puts the keyboard focus on a row (clamped), keeping the column; answers the row index. */
  focusRow(index: number): number | null;
  /** Puts the keyboard focus back in the grid: on the focused row, else the first. */
  focus(): void;
  /** What the grid shows (status, scan state) for those of these places it has loaded. */
  shownRows(placeIds: readonly string[]): Map<string, ShownRow>;
  /** Shows these rows at once (an optimistic decision, or its roll-back); redraws them. */
  showRows(rows: ReadonlyMap<string, ShownRow>): void;
  /** Redraws these rows (their pending mark changed). */
  redrawRows(placeIds: readonly string[]): void;
}

/** The part of a row a decision changes: its status and, by step 6, its scan state. */
export type ShownRow = Pick<PlaceListItem, 'status' | 'deep_scan_status'>;

/** Decisions shown before the server stored them (features/decide/optimistic-statuses). */
export interface RowOverlay {
  shown(placeId: string, read: ShownRow, askedAt: number): ShownRow;
  isPending(placeId: string): boolean;
}

export interface StagingGridProps {
  filter: PlaceFilter;
  initialSort: SortState | null;
  selection: Selection;
  onSelect(action: SelectionAction): void;
  onSortChange(sort: SortState | null): void;
  /** The filter's row count, with the filter it belongs to (a JSON key). */
  onTotal(total: number, filterKey: string): void;
  onFocusPlace(placeId: string | null): void;
  onLoadError(error: AppError): void;
  /** Column order, widths, visibility and density (the reviewer's, remembered). */
  layout: GridLayout;
  onLayoutChange(change: (layout: GridLayout) => GridLayout): void;
  /** Rows were (re)loaded: keys waiting for a row's data may go now. */
  onRowsChanged?(): void;
  rowOverlay?: RowOverlay;
  handleRef: Ref<GridHandle>;
}

const rowSelection: RowSelectionOptions = {
  mode: 'multiRow',
  checkboxes: true,
  // The infinite row model can't tick rows it hasn't loaded: "all matching" is the banner's job.
  headerCheckbox: false,
  // Row clicks are handled below so a plain click can clear rows the grid no longer holds.
  enableClickSelection: false,
};

// Every header shows its full name on hover, however narrow its column.
const defaultColDef = { sortable: true, resizable: true, headerTooltip: true };
// The tick boxes stay with the pinned name when the other columns scroll.
const selectionColumnDef = { pinned: 'left' as const, lockPinned: true };

/** One tab stop: Tab leaves the grid instead of walking every cell (and headers take none). */
const leaveOnTab = () => false as const;

/** How far ahead of the next block a moving focus asks for it. */
const PREFETCH_ROWS = BLOCK_SIZE / 2;

const getRowId = ({ data }: { data: PlaceListItem }) => data.place_id;

/**
 * Memoised: the workspace re-renders on every decision key (its pending count, the focused
 * place), and handing AG Grid new props each time costs more than a key's whole work. Give it
 * stable callbacks.
 */
export const StagingGrid = memo(function StagingGrid(props: StagingGridProps) {
  const client = useClient();
  const apiRef = useRef<GridApi<PlaceListItem> | null>(null);
  const anchorRowIndex = useRef<number | null>(null);
  const hostRef = useRef<HTMLElement>(null);
  /** The row the reviewer is on, so focus follows it when rows above leave the view. */
  const cursor = useRef<FocusedRow | null>(null);
  const latest = useLatest(props);
  const dark = usePrefersDark();
  const [columnDefs] = useState(() =>
    arrangeColumns(placeColumns(props.initialSort), props.layout),
  );

  const filterKey = JSON.stringify(props.filter);
  const callbacks = useMemo(
    () => ({
      get current() {
        const { onTotal, onLoadError, rowOverlay } = latest.current;
        return {
          onTotal,
          onLoadError,
          onRowsLoaded: () => {
            // The focused row may have been one still loading: the panel shows it now.
            const api = apiRef.current;
            const focused = api ? focusedRow(api) : null;
            const known = cursor.current;
            if (focused?.placeId && known?.index === focused.index && !known.placeId) {
              cursor.current = focused;
              latest.current.onFocusPlace(focused.placeId);
            }
            latest.current.onRowsChanged?.();
          },
          decorateRows: rowOverlay
            ? (rows: PlaceListItem[], askedAt: number) =>
                rows.map((row) => {
                  const shown = rowOverlay.shown(row.place_id, row, askedAt);
                  return shown.status === row.status &&
                    shown.deep_scan_status === row.deep_scan_status
                    ? row
                    : { ...row, ...shown };
                })
            : undefined,
        };
      },
    }),
    [latest],
  );
  const datasource = useMemo(
    () => createPlacesDatasource(client, filterKey, callbacks),
    [client, filterKey, callbacks],
  );
  const [rowClassRules] = useState<RowClassRules<PlaceListItem>>(() => ({
    'row-pending': ({ data }) =>
      data ? (latest.current.rowOverlay?.isPending(data.place_id) ?? false) : false,
  }));

  useEffect(() => {
    if (apiRef.current) applySelectionToGrid(apiRef.current, props.selection);
  }, [props.selection]);

  // The chooser (or a reset) changed the layout: move the grid's columns to match.
  useEffect(() => {
    const api = apiRef.current;
    if (!api) return;
    const shown = withColumnState(props.layout, api.getColumnState(), PLACE_LAYOUT_COLUMNS);
    if (!sameColumns(shown.columns, props.layout.columns)) {
      api.applyColumnState({ state: toColumnState(props.layout), applyOrder: true });
    }
  }, [props.layout]);

  // The reviewer moved, resized or hid a column in the grid: remember it (once it settles).
  const onColumnLayoutEvent = (event: { api: GridApi<PlaceListItem>; finished?: boolean }) => {
    if (event.finished === false) return;
    const state = event.api.getColumnState();
    props.onLayoutChange((layout) => withColumnState(layout, state, PLACE_LAYOUT_COLUMNS));
  };
  const heights = ROW_HEIGHTS[props.layout.density];

  useImperativeHandle(
    props.handleRef,
    () => ({
      refresh() {
        datasource.beforeReread();
        apiRef.current?.refreshInfiniteCache();
      },
      refreshIfShown(placeIds) {
        const api = apiRef.current;
        if (!api) return;
        if (placeIds === null || placeIds.some((id) => api.getRowNode(id))) {
          datasource.beforeReread();
          api.refreshInfiniteCache();
        }
      },
      focusedPlaceId() {
        const api = apiRef.current;
        return api ? (focusedRow(api)?.placeId ?? null) : null;
      },
      focusedRow() {
        const api = apiRef.current;
        return api ? focusedRow(api) : null;
      },
      focusRow(index) {
        const api = apiRef.current;
        if (!api) return null;
        const target = focusRowAt(api, index);
        if (target !== null) {
          cursor.current = focusedRow(api);
          // Keys outrun the grid's own look-ahead (it asks for a block ~10 rows before it shows):
          // ask for the next block while the reviewer is still half a block away from it.
          const nextBlock = (Math.floor(target / BLOCK_SIZE) + 1) * BLOCK_SIZE;
          if (nextBlock - target <= PREFETCH_ROWS) api.getDisplayedRowAtIndex(nextBlock);
        }
        return target;
      },
      focus() {
        const api = apiRef.current;
        if (api) focusRowAt(api, api.getFocusedCell()?.rowIndex ?? 0);
      },
      shownRows(placeIds) {
        const shown = new Map<string, ShownRow>();
        for (const id of placeIds) {
          const data = apiRef.current?.getRowNode(id)?.data;
          if (data) shown.set(id, { status: data.status, deep_scan_status: data.deep_scan_status });
        }
        return shown;
      },
      showRows(rows) {
        for (const [id, row] of rows) {
          const node = apiRef.current?.getRowNode(id);
          if (node?.data) node.setData({ ...node.data, ...row });
        }
      },
      redrawRows(placeIds) {
        const api = apiRef.current;
        const rowNodes = placeIds.flatMap((id) => api?.getRowNode(id) ?? []);
        if (api && rowNodes.length) api.redrawRows({ rowNodes });
      },
    }),
    [datasource],
  );

  /** Shift+↑/↓ extends the check from the row left to the row reached, as in a list. */
  const navigateToNextCell = (params: NavigateToNextCellParams<PlaceListItem>) => {
    const next = params.nextCellPosition;
    const vertical = params.key === 'ArrowDown' || params.key === 'ArrowUp';
    if (next && vertical && params.event?.shiftKey) {
      const ids = [params.previousCellPosition.rowIndex, next.rowIndex].flatMap(
        (index) => params.api.getDisplayedRowAtIndex(index)?.data?.place_id ?? [],
      );
      if (ids.length) props.onSelect({ type: 'add', ids });
    }
    return next;
  };

  const onModelUpdated = (event: ModelUpdatedEvent<PlaceListItem>) => {
    applySelectionToGrid(event.api, latest.current.selection);
    // Rows above the reviewer's row may have left the filtered view: focus stays on their row,
    // and the detail panel shows whatever row has the focus now.
    const focused = followCursor(event.api, cursor.current, gridHasFocus(hostRef.current));
    cursor.current = focused;
    if (focused) latest.current.onFocusPlace(focused.placeId);
    latest.current.onRowsChanged?.();
  };

  const onRowSelected = (event: RowSelectedEvent<PlaceListItem>) => {
    const id = event.node.id;
    if (!USER_SELECTION_SOURCES.has(event.source) || id === undefined) return;
    anchorRowIndex.current = event.node.rowIndex;
    props.onSelect({ type: 'set', id, selected: Boolean(event.node.isSelected()) });
  };

  const onSelectionChanged = (event: SelectionChangedEvent<PlaceListItem>) => {
    // Anything the grid did on its own (ctrl+A, resets): put the app's selection back.
    if (event.source !== 'api' && !USER_SELECTION_SOURCES.has(event.source)) {
      applySelectionToGrid(event.api, latest.current.selection);
    }
  };

  const onCellClicked = (event: CellClickedEvent<PlaceListItem>) => {
    const id = event.data?.place_id;
    const rowIndex = event.rowIndex;
    if (!id || rowIndex === null || event.column.getColId() === SELECTION_COLUMN_ID) return;
    const mouse = event.event as MouseEvent | null;
    const anchor = anchorRowIndex.current;
    if (mouse?.shiftKey && anchor !== null) {
      const ids: string[] = [];
      for (let i = Math.min(anchor, rowIndex); i <= Math.max(anchor, rowIndex); i++) {
        const rowId = event.api.getDisplayedRowAtIndex(i)?.data?.place_id;
        if (rowId) ids.push(rowId);
      }
      props.onSelect({ type: 'add', ids });
      return;
    }
    anchorRowIndex.current = rowIndex;
    props.onSelect(
      mouse && (mouse.ctrlKey || mouse.metaKey) ? { type: 'toggle', id } : { type: 'only', id },
    );
  };

  // The grid's events arrive after the fact: keys may have moved the focus on since this one.
  const onCellFocused = (event: CellFocusedEvent<PlaceListItem>) => {
    const previous = cursor.current;
    cursor.current = cursorAfterFocusEvent(previous, event.rowIndex, focusedRow(event.api));
    if (cursor.current !== previous || event.rowIndex === null) {
      props.onFocusPlace(cursor.current?.placeId ?? null);
    }
  };

  return (
    <section className="grid-host" aria-label="Staging places" ref={hostRef}>
      <AgGridReact<PlaceListItem>
        theme={dark ? darkGridTheme : lightGridTheme}
        columnDefs={columnDefs}
        defaultColDef={defaultColDef}
        selectionColumnDef={selectionColumnDef}
        rowHeight={heights.row}
        headerHeight={heights.header}
        rowModelType="infinite"
        datasource={datasource}
        cacheBlockSize={BLOCK_SIZE}
        maxBlocksInCache={20}
        maxConcurrentDatasourceRequests={2}
        blockLoadDebounceMillis={60}
        infiniteInitialRowCount={1}
        getRowId={getRowId}
        rowSelection={rowSelection}
        rowClassRules={rowClassRules}
        suppressHeaderFocus
        tabToNextCell={leaveOnTab}
        navigateToNextCell={navigateToNextCell}
        suppressNoRowsOverlay
        tooltipShowDelay={250}
        onGridReady={(event: GridReadyEvent<PlaceListItem>) => {
          apiRef.current = event.api;
        }}
        onModelUpdated={onModelUpdated}
        onRowSelected={onRowSelected}
        onSelectionChanged={onSelectionChanged}
        onCellClicked={onCellClicked}
        onCellFocused={onCellFocused}
        onColumnResized={onColumnLayoutEvent}
        onColumnMoved={onColumnLayoutEvent}
        onColumnVisible={onColumnLayoutEvent}
        onSortChanged={(event) =>
          props.onSortChange(sortStateFromModel(event.api.getColumnState()))
        }
      />
    </section>
  );
});
