import { useCallback, useEffect, useRef, useState, type Dispatch } from 'react';
import type { PlaceStatus } from '../../../src-shared/domain';
import type { AppError } from '../../../src-shared/errors';
import { useClient } from '../api/client-context';
import { DecideBar } from '../features/decide/DecideBar';
import { ShortcutOverlay } from '../features/decide/ShortcutOverlay';
import { useShortcutKeys } from '../features/decide/use-shortcut-keys';
import { useStatusUpdate } from '../features/decide/use-status-update';
import { ConnectionBanner } from '../features/connection/ConnectionBanner';
import { DetailPanel } from '../features/detail/DetailPanel';
import { plainErrorText } from '../features/feedback/error-text';
import { useToasts } from '../features/feedback/toasts';
import { FilterBar } from '../features/filters/FilterBar';
import { ColumnChooser } from '../features/grid/ColumnChooser';
import { StagingGrid, type GridHandle } from '../features/grid/StagingGrid';
import { PLACE_LAYOUT_COLUMNS, useGridLayout } from '../features/grid/use-grid-layout';
import { EmptyState } from '../features/onboarding/EmptyState';
import { SelectionBanner } from '../features/selection/SelectionBanner';
import {
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
  const lastLoadError = useRef({ message: '', at: 0 });
  const [gridAnswered, setGridAnswered] = useState(false);
  const { summary, progress, reload: reloadSummary } = useSummary(epoch, gridAnswered);
  const sync = useSyncStatus(epoch);
  const [syncDialog, setSyncDialog] = useState<'conflicts' | 'receipts' | null>(null);
  const closeSyncDialog = useCallback(() => setSyncDialog(null), []);
  const { layout, update: updateLayout } = useGridLayout();

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
  const { apply, busy, undoLast } = useStatusUpdate(onSaved);

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

  const decide = (status: PlaceStatus) => {
    if (selectedCount(desk.selection) > 0) {
      void apply(status, desk.selection);
      return;
    }
    const focused = grid.current?.focusedPlaceId();
    if (!focused) {
      notify(
        'error',
        'Select some rows, or move to a row with the arrow keys, before choosing a status.',
      );
      return;
    }
    const target: Selection = { mode: 'ids', ids: new Set([focused]) };
    void apply(status, target);
  };

  useShortcutKeys({
    enabled: !inert,
    onStatusKey: decide,
    onHelp: () => setHelpOpen(true),
    onUndo: undoLast,
  });

  // Ctrl+, (Cmd+, on a Mac) opens the settings, as in most desktop apps.
  useEffect(() => {
    if (inert) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === ',' && (event.ctrlKey || event.metaKey) && !event.altKey) {
        event.preventDefault();
        setSettingsOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [inert]);

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
        <button
          type="button"
          className="settings-button"
          aria-keyshortcuts="Control+Comma Meta+Comma"
          onClick={() => setSettingsOpen(true)}
        >
          Settings
        </button>
      </header>
      {summary?.total === 0 ? (
        <main className="desk desk-empty">
          <EmptyState onLoaded={reloadSummary} />
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
            </div>
            <div className="toolbar">
              <SelectionBanner
                selection={desk.selection}
                filter={filter}
                total={total}
                onSelect={select}
              />
              <DecideBar
                count={selectedCount(desk.selection)}
                busy={busy}
                onUpdate={(status) => void apply(status, desk.selection)}
                onShowShortcuts={() => setHelpOpen(true)}
              />
            </div>
            {total === 0 ? <p className="no-match">No places match this filter.</p> : null}
            <StagingGrid
              filter={filter}
              initialSort={desk.view.sort}
              selection={desk.selection}
              onSelect={select}
              onSortChange={(sort) => dispatch({ type: 'sort', sort })}
              onTotal={onTotal}
              onFocusPlace={setFocusedId}
              onLoadError={onLoadError}
              layout={layout}
              onLayoutChange={updateLayout}
              handleRef={grid}
            />
          </div>
          <aside className="side-panel" aria-label="Details and summary">
            <DetailPanel placeId={focusedId} />
            <SummaryPanel
              summary={summary}
              progress={progress}
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
      <ConflictsInbox
        open={syncDialog === 'conflicts'}
        onClose={closeSyncDialog}
        conflictCount={sync.status?.conflicts ?? 0}
        onResolved={onSaved}
      />
      <ReceiptsDialog open={syncDialog === 'receipts'} onClose={closeSyncDialog} />
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
