import {
  Suspense,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type Dispatch,
} from 'react';
import { MAX_PLACE_IDS_PER_REQUEST, type PlaceStatus } from '../../../src-shared/domain';
import type { AppError } from '../../../src-shared/errors';
import { useClient } from '../api/client-context';
import { ConfirmScansDialog, SCANS_WITHOUT_ASKING } from '../features/decide/ConfirmScansDialog';
import { scanBudgetNotes } from '../features/decide/scan-budget';
import { DecideBar } from '../features/decide/DecideBar';
import { keyTarget } from '../features/decide/key-target';
import { ShortcutOverlay } from '../features/decide/ShortcutOverlay';
import { isSettingsKey, type KeyAction } from '../features/decide/shortcuts';
import { buildUpdateRequests } from '../features/decide/update-requests';
import { useDecisionLoop } from '../features/decide/use-decision-loop';
import { useCommandKey, useShortcutKeys } from '../features/decide/use-shortcut-keys';
import { useStatusUpdate } from '../features/decide/use-status-update';
import { ConnectionBanner } from '../features/connection/ConnectionBanner';
import { toAppError } from '../api/client';
import { DetailPanel } from '../features/detail/DetailPanel';
import { SIDE_PANEL_ID, SidePanelToggle, useSidePanel } from '../features/detail/side-panel';
import { ExportDialog } from '../features/export/ExportDialog';
import { plainErrorText } from '../features/feedback/error-text';
import { useToasts } from '../features/feedback/toasts';
import { FilterBar } from '../features/filters/FilterBar';
import { ColumnChooser } from '../features/grid/ColumnChooser';
import { GridLoading, LazyStagingGrid } from '../features/grid/lazy-grid';
import type { GridHandle } from '../features/grid/StagingGrid';
import type { SortState } from '../features/grid/sort-param';
import { PLACE_LAYOUT_COLUMNS, useGridLayout } from '../features/grid/use-grid-layout';
import { ImportDialog } from '../features/import/ImportDialog';
import { EmptyState } from '../features/onboarding/EmptyState';
import { SelectionBanner } from '../features/selection/SelectionBanner';
import {
  EMPTY_SELECTION,
  selectedCount,
  type Selection,
  type SelectionAction,
} from '../features/selection/selection';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { SummaryPanel } from '../features/summary/SummaryPanel';
import { ConflictsInbox } from '../features/sync/ConflictsInbox';
import { ReceiptsDialog } from '../features/sync/ReceiptsDialog';
import { SyncIndicator } from '../features/sync/SyncIndicator';
import { useSyncStatus } from '../features/sync/use-sync-status';
import { useSummary } from '../features/summary/use-summary';
import type { DeskAction, DeskState } from './desk-state';
import { useMenuCommands } from './menu-commands';
import { useLatest } from './use-latest';
import { useLiveGridRefresh } from './use-live-grid-refresh';

const LOAD_ERROR_TOPIC = 'grid-load';

interface WorkspaceProps {
  desk: DeskState;
  dispatch: Dispatch<DeskAction>;
  /** Sign-in count: a new one re-reads whatever failed while signed out. */
  epoch: number;
  /** Behind the sign-in screen: kept alive (scroll, focus, pending work) but untouchable. */
  inert: boolean;
}

export function Workspace({ desk, dispatch, epoch, inert }: WorkspaceProps) {
  const client = useClient();
  const { notify, dismissTopic } = useToasts();
  const grid = useRef<GridHandle>(null);
  const [counted, setCounted] = useState<{ filterKey: string; total: number } | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);
  const lastLoadError = useRef({ message: '', at: 0 });
  const [gridAnswered, setGridAnswered] = useState(false);
  const {
    summary,
    progress,
    spend,
    reload: reloadSummary,
    reloadSpend,
  } = useSummary(epoch, gridAnswered);
  const sync = useSyncStatus(epoch);
  const [syncDialog, setSyncDialog] = useState<'conflicts' | 'receipts' | null>(null);
  const closeSyncDialog = useCallback(() => setSyncDialog(null), []);
  const { layout, update: updateLayout } = useGridLayout();

  // The grid, not the empty state's introduction (the summary is read after the grid's first rows).
  const deskShown = summary?.total !== 0;
  const sidePanel = useSidePanel({
    layout,
    update: updateLayout,
    enabled: deskShown && !inert,
    focusElsewhere: () => grid.current?.focus(),
  });
  const { filter } = desk.view;
  const filterKey = JSON.stringify(filter);
  const total = counted?.filterKey === filterKey ? counted.total : null;

  const select = useCallback(
    (action: SelectionAction) => dispatch({ type: 'select', action }),
    [dispatch],
  );
  const onSaved = useCallback(() => {
    grid.current?.refresh();
    reloadSummary();
  }, [reloadSummary]);
  const loop = useDecisionLoop(grid, onSaved);
  const { apply, busy } = useStatusUpdate(onSaved, loop.pushUpdate);

  // The selection as keys see it: a key typed before React re-renders must already see the
  // checks the previous key cleared, or it would decide those rows again.
  const liveSelection = useRef(desk.selection);
  useLayoutEffect(() => {
    liveSelection.current = desk.selection;
  }, [desk.selection]);
  const clearChecks = useCallback(() => {
    liveSelection.current = EMPTY_SELECTION;
    select({ type: 'clear' });
  }, [select]);

  // More than SCANS_WITHOUT_ASKING paid scans: ask first (the server counts them, writing nothing).
  const [scanQuestion, setScanQuestion] = useState<{ scans: number; places: number } | null>(null);
  const answerScans = useRef<((queue: boolean) => void) | null>(null);
  const askBeforeScans = useCallback(
    async (status: PlaceStatus, target: Selection): Promise<boolean> => {
      const places = selectedCount(target);
      if (status !== 'Selected' || places <= SCANS_WITHOUT_ASKING) return true;
      let scans = 0;
      try {
        for (const request of buildUpdateRequests(target, status)) {
          scans += (await client.call('updateStatus', { ...request, dry_run: true })).queued_count;
        }
      } catch (thrown) {
        notify('error', plainErrorText(toAppError(thrown), 'the change to Selected'));
        return false;
      }
      if (scans <= SCANS_WITHOUT_ASKING) return true;
      // Today's calls as they are now, for what the question says of the daily limit.
      reloadSpend();
      return new Promise<boolean>((resolve) => {
        answerScans.current = resolve;
        setScanQuestion({ scans, places });
      });
    },
    [client, notify, reloadSpend],
  );
  const onScanAnswer = useCallback((queue: boolean) => {
    const answer = answerScans.current;
    answerScans.current = null;
    setScanQuestion(null);
    answer?.(queue);
  }, []);

  /** The Update button, or a key on rows checked beyond what a key batch carries. */
  const updateChecked = async (status: PlaceStatus, target: Selection) => {
    if (!(await askBeforeScans(status, target))) return;
    // Stored: the checks go, so a stray key can't decide those rows again. Refused: they stay,
    // for a retry.
    if ((await apply(status, target)) && liveSelection.current === target) clearChecks();
  };

  useLiveGridRefresh(client, grid);
  useEffect(() => {
    if (epoch > 0) grid.current?.refresh();
  }, [epoch]);

  // A failure to read the rows stops being true once they load (or the server is back).
  useEffect(() => client.onReconnect(() => dismissTopic(LOAD_ERROR_TOPIC)), [client, dismissTopic]);

  const onTotal = useCallback(
    (count: number, key: string) => {
      setCounted({ filterKey: key, total: count });
      setGridAnswered(true);
      select({ type: 'totalChanged', total: count });
      dismissTopic(LOAD_ERROR_TOPIC);
    },
    [select, dismissTopic],
  );

  const onLoadError = useCallback(
    (error: AppError) => {
      setGridAnswered(true);
      if (error.type === 'unauthorized') return; // the sign-in screen says it
      // Offline: the connection banner already says so, and the grid reloads when it is back.
      if (error.type === 'unavailable' && client.connection() === false) return;
      const message = plainErrorText(error, 'loading the places');
      const last = lastLoadError.current;
      if (last.message === message && Date.now() - last.at < 5000) return;
      lastLoadError.current = { message, at: Date.now() };
      notify(
        'error',
        message,
        { label: 'Retry', run: () => grid.current?.refresh() },
        LOAD_ERROR_TOPIC,
      );
    },
    [notify, client],
  );

  // Keys typed on a row whose block is still loading wait for it, in order (none is lost).
  const waitingKeys = useRef<PlaceStatus[]>([]);

  /** A status key: the checked rows, or the focused row and then the next one. */
  const decideByKey = (status: PlaceStatus): void => {
    if (waitingKeys.current.length > 0) {
      waitingKeys.current.push(status);
      return;
    }
    const focused = grid.current?.focusedRow() ?? null;
    const target = keyTarget(liveSelection.current, focused?.placeId ?? null);
    if (target.kind === 'checked') {
      const checked = target.selection;
      const small = checked.mode === 'ids' && checked.ids.size <= MAX_PLACE_IDS_PER_REQUEST;
      const manyScans = status === 'Selected' && selectedCount(checked) > SCANS_WITHOUT_ASKING;
      if (small && !manyScans) {
        clearChecks();
        loop.decide([...checked.ids], status);
      } else void updateChecked(status, checked);
      return;
    }
    if (target.kind === 'focused' && focused) {
      if (selectedCount(liveSelection.current) > 0) clearChecks();
      loop.decide([target.placeId], status);
      grid.current?.focusRow(focused.index + 1);
      return;
    }
    if (focused) {
      waitingKeys.current.push(status);
      return;
    }
    notify(
      'error',
      'Select some rows, or move to a row with the arrow keys, before choosing a status.',
    );
  };

  const decideByKeyRef = useLatest(decideByKey);
  // Stable (the grid is memoised): reads the latest decideByKey through its ref.
  const onRowsChanged = useCallback(() => {
    const waiting = waitingKeys.current;
    while (waiting.length > 0 && grid.current?.focusedRow()?.placeId) {
      const status = waiting.shift()!;
      const held = waiting.splice(0);
      decideByKeyRef.current(status);
      waiting.push(...held);
    }
  }, [decideByKeyRef]);
  const onSortChange = useCallback(
    (sort: SortState | null) => dispatch({ type: 'sort', sort }),
    [dispatch],
  );

  const onKey = (action: KeyAction): boolean => {
    switch (action.kind) {
      case 'status':
        decideByKey(action.status);
        return true;
      case 'undo':
        loop.undo();
        return true;
      case 'help':
        setHelpOpen(true);
        return true;
      case 'search': {
        const search = document.querySelector<HTMLInputElement>('.filter-bar input[type="search"]');
        search?.focus();
        search?.select();
        return search !== null;
      }
      case 'move': {
        const row = grid.current?.focusedRow();
        grid.current?.focusRow(row ? row.index + action.delta : 0);
        return true;
      }
      case 'selectAll':
        if (total === null || total === 0) return false;
        select({ type: 'selectAllMatching', filter, total });
        return true;
      case 'clear':
        if (selectedCount(liveSelection.current) === 0) return false;
        clearChecks();
        return true;
      case 'details':
        return sidePanel.showForRow(grid.current?.focusedRow() != null);
    }
  };

  useShortcutKeys({ enabled: !inert, onKey });

  /** The banner's buttons disappear once used: focus goes back to the grid, not the page. */
  const selectFromBanner = (action: SelectionAction) => {
    select(action);
    grid.current?.focus();
  };

  useCommandKey(!inert, isSettingsKey, () => setSettingsOpen(true));

  // The desktop menu's commands do what the page's buttons and keys do, under the same rule.
  useMenuCommands(!inert, (command) => {
    if (command === 'importPlaces') setImportOpen(true);
    else if (command === 'exportPlaces') setExportOpen(true);
    else if (command === 'openSettings') setSettingsOpen(true);
    else if (command === 'toggleDetailsPanel') {
      if (deskShown) sidePanel.toggle();
    } else setHelpOpen(true);
  });

  return (
    <div className="workspace" inert={inert}>
      <header
        className="app-header"
        data-offline={sync.status?.mode === 'team' && !sync.status.online ? 'yes' : undefined}
      >
        <h1>Staging Editor</h1>
        <p className="muted">{client.transportKind === 'http' ? 'Browser mode' : 'Desktop'}</p>
        <ConnectionBanner client={client} />
        <SyncIndicator
          status={sync.status}
          announcement={sync.announcement}
          onStatus={sync.update}
          onOpenConflicts={() => setSyncDialog('conflicts')}
          onOpenReceipts={() => setSyncDialog('receipts')}
        />
        {deskShown && !inert ? (
          <button
            ref={importButton}
            type="button"
            className="import-button"
            aria-haspopup="dialog"
            onClick={() => setImportOpen(true)}
          >
            Import places…
          </button>
        ) : null}
        <button
          type="button"
          className="settings-button"
          aria-keyshortcuts="Control+Comma Meta+Comma"
          onClick={() => setSettingsOpen(true)}
        >
          Settings
        </button>
        {deskShown ? (
          <SidePanelToggle hidden={sidePanel.hidden} onToggle={sidePanel.toggle} />
        ) : null}
      </header>
      {!deskShown ? (
        <main className="desk desk-empty">
          <EmptyState onLoaded={reloadSummary} onImport={() => setImportOpen(true)} />
        </main>
      ) : (
        <main className="desk">
          <div className="desk-main">
            <div className="filter-row">
              <FilterBar
                filter={filter}
                total={total}
                onChange={(update) => dispatch({ type: 'filter', update })}
              />
              <ColumnChooser
                layout={layout}
                columns={PLACE_LAYOUT_COLUMNS}
                onChange={updateLayout}
              />
              {/* The filter's places, not the rows ticked: the dialog says so. */}
              <button
                type="button"
                className="export-button"
                aria-haspopup="dialog"
                onClick={() => setExportOpen(true)}
              >
                Export…
              </button>
            </div>
            <div className="toolbar">
              <SelectionBanner
                selection={desk.selection}
                filter={filter}
                total={total}
                onSelect={selectFromBanner}
              />
              <DecideBar
                count={selectedCount(desk.selection)}
                busy={busy}
                onUpdate={(status) => void updateChecked(status, desk.selection)}
                onShowShortcuts={() => setHelpOpen(true)}
                canUndo={loop.canUndo}
                undoing={loop.undoing}
                pending={loop.pending}
                onUndo={() => {
                  loop.undo();
                  grid.current?.focus();
                }}
              />
            </div>
            {total === 0 ? <p className="no-match">No places match this filter.</p> : null}
            <Suspense fallback={<GridLoading />}>
              <LazyStagingGrid
                filter={filter}
                initialSort={desk.view.sort}
                selection={desk.selection}
                onSelect={select}
                onSortChange={onSortChange}
                onTotal={onTotal}
                onFocusPlace={setFocusedId}
                onLoadError={onLoadError}
                layout={layout}
                onLayoutChange={updateLayout}
                onRowsChanged={onRowsChanged}
                rowOverlay={loop.overlay}
                handleRef={grid}
              />
            </Suspense>
          </div>
          <aside
            className="side-panel"
            id={SIDE_PANEL_ID}
            aria-label="Details and summary"
            hidden={sidePanel.hidden}
          >
            {sidePanel.hidden ? null : <DetailPanel placeId={focusedId} />}
            <SummaryPanel
              summary={summary}
              progress={progress}
              spend={spend}
              collapsed={layout.summaryCollapsed}
              onToggle={() =>
                updateLayout((current) => ({
                  ...current,
                  summaryCollapsed: !current.summaryCollapsed,
                }))
              }
            />
          </aside>
        </main>
      )}
      <ShortcutOverlay open={helpOpen} onClose={() => setHelpOpen(false)} />
      <ConfirmScansDialog
        scans={scanQuestion?.scans ?? null}
        places={scanQuestion?.places ?? 0}
        notes={scanBudgetNotes(
          scanQuestion?.scans ?? 0,
          spend,
          summary?.by_deep_scan_status.Queued ?? 0,
        )}
        onAnswer={onScanAnswer}
      />
      <ConflictsInbox
        open={syncDialog === 'conflicts'}
        onClose={closeSyncDialog}
        conflictCount={sync.status?.conflicts ?? 0}
        onResolved={onSaved}
      />
      <ReceiptsDialog open={syncDialog === 'receipts'} onClose={closeSyncDialog} />
      <ImportDialog
        open={importOpen}
        onClose={() => {
          setImportOpen(false);
          // Opened from the empty state, whose button went with it once the first places were
          // in: focus goes to the header's button instead of nowhere.
          setTimeout(() => {
            if (document.activeElement === document.body) importButton.current?.focus();
          });
        }}
        onImported={onSaved}
      />
      <ExportDialog
        open={exportOpen}
        onClose={() => setExportOpen(false)}
        filter={filter}
        total={total}
      />
      <SettingsDialog
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        onSaved={() => {
          grid.current?.refresh();
          reloadSummary();
        }}
      />
    </div>
  );
}
