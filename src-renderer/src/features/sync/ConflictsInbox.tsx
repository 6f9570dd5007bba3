import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ResolveConflictsOutput, SyncConflict } from '../../../../src-shared/contract';
import { formatCount } from '../../../../src-shared/messages';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { ModalDialog } from '../feedback/ModalDialog';
import { formatAgo } from './age';
import {
  bulkLabel,
  describeResolved,
  headerState,
  keepListed,
  resolveRequests,
  toggleAll,
  toggleOne,
  type Keep,
} from './conflict-selection';
import { scanStateLabel } from '../../../../src-shared/domain';
import { placeLabel } from './receipt-text';
import { useNow } from './use-now';

/** Rows drawn at once; ticking "all" still covers every conflict, listed or not. */
const ROWS_SHOWN = 200;

interface ConflictsInboxProps {
  open: boolean;
  onClose(): void;
  /** The status's conflict count: when it changes while open, the list is read again. */
  conflictCount: number;
  /** After resolving: the grid and the summary re-read. */
  onResolved(): void;
}

type Loaded = { items: SyncConflict[] } | { error: string } | null;

/** My offline decisions a colleague overtook: keep mine or accept theirs, one or many at once. */
export function ConflictsInbox({ open, onClose, conflictCount, onResolved }: ConflictsInboxProps) {
  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      labelledBy="conflicts-title"
      className="sync-dialog conflicts-inbox"
    >
      <InboxBody conflictCount={conflictCount} onResolved={onResolved} />
    </ModalDialog>
  );
}

function InboxBody({
  conflictCount,
  onResolved,
}: Pick<ConflictsInboxProps, 'conflictCount' | 'onResolved'>) {
  const client = useClient();
  const now = useNow();
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const headerBox = useRef<HTMLInputElement>(null);
  const descriptionId = useId();

  const load = useCallback(() => {
    client.call('syncConflicts', {}).then(
      ({ items }) => {
        setLoaded({ items });
        setSelected((current) => keepListed(current, items));
      },
      (thrown: unknown) =>
        setLoaded({ error: plainErrorText(toAppError(thrown), 'reading your conflicts') }),
    );
  }, [client]);

  useEffect(() => {
    load();
  }, [load, conflictCount]);

  const items = loaded && 'items' in loaded ? loaded.items : [];
  const header = headerState(selected, items);
  useEffect(() => {
    if (headerBox.current) headerBox.current.indeterminate = header === 'some';
  }, [header]);

  const resolve = async (placeIds: Iterable<string>, keep: Keep) => {
    const requests = resolveRequests(placeIds, keep);
    if (requests.length === 0) return;
    setBusy(true);
    setResult(null);
    const outputs: ResolveConflictsOutput[] = [];
    try {
      for (const request of requests) outputs.push(await client.call('resolveConflicts', request));
      setResult({ kind: 'success', text: describeResolved(outputs, keep) });
    } catch (thrown) {
      const failed = plainErrorText(toAppError(thrown), 'resolving the conflicts');
      setResult({
        kind: 'error',
        text: outputs.length > 0 ? `${describeResolved(outputs, keep)}. ${failed}` : failed,
      });
    } finally {
      setBusy(false);
      if (outputs.length > 0) onResolved();
      load();
    }
  };

  const count = selected.size;
  return (
    <>
      <h2 id="conflicts-title">Conflicts</h2>
      <p id={descriptionId} className="muted">
        A colleague changed these places on the shared database after you decided offline.{' '}
        <strong>Keep mine</strong> sends your decision again over theirs;{' '}
        <strong>Accept theirs</strong> keeps the shared database as it is.
      </p>
      <p className={`sync-result sync-result-${result?.kind ?? 'none'}`} role="status">
        {result?.text}
      </p>
      {loaded === null ? (
        <p className="muted">Reading your conflicts…</p>
      ) : 'error' in loaded ? (
        <p className="inline-error" role="alert">
          {loaded.error}
        </p>
      ) : items.length === 0 ? (
        <p>No conflicts: every decision you made offline is settled.</p>
      ) : (
        <>
          <div className="sync-bulk" role="group" aria-label="Resolve the ticked conflicts">
            <label>
              <input
                ref={headerBox}
                type="checkbox"
                checked={header === 'all'}
                onChange={() => setSelected((current) => toggleAll(current, items))}
              />
              Tick all {formatCount(items.length)}
            </label>
            <button
              type="button"
              disabled={count === 0 || busy}
              onClick={() => void resolve(selected, 'mine')}
            >
              {bulkLabel('mine', count)}
            </button>
            <button
              type="button"
              disabled={count === 0 || busy}
              onClick={() => void resolve(selected, 'theirs')}
            >
              {bulkLabel('theirs', count)}
            </button>
          </div>
          <div className="sync-table-wrap">
            <table className="sync-table" aria-describedby={descriptionId}>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Ticked</span>
                  </th>
                  <th scope="col">Place</th>
                  <th scope="col">Mine</th>
                  <th scope="col">Theirs</th>
                  <th scope="col">Scan</th>
                  <th scope="col">Resolve</th>
                </tr>
              </thead>
              <tbody>
                {items.slice(0, ROWS_SHOWN).map((item) => (
                  <ConflictRow
                    key={item.place_id}
                    item={item}
                    now={now}
                    ticked={selected.has(item.place_id)}
                    busy={busy}
                    onTick={() => setSelected((current) => toggleOne(current, item.place_id))}
                    onResolve={(keep) => void resolve([item.place_id], keep)}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {items.length > ROWS_SHOWN ? (
            <p className="muted">
              Showing the first {formatCount(ROWS_SHOWN)} of {formatCount(items.length)}; “Tick all”
              covers every one.
            </p>
          ) : null}
        </>
      )}
      <form method="dialog" className="dialog-actions">
        <button type="submit">Close</button>
      </form>
    </>
  );
}

interface ConflictRowProps {
  item: SyncConflict;
  now: number;
  ticked: boolean;
  busy: boolean;
  onTick(): void;
  onResolve(keep: Keep): void;
}

function ConflictRow({ item, now, ticked, busy, onTick, onResolve }: ConflictRowProps) {
  const name = placeLabel(item);
  return (
    <tr data-place-id={item.place_id}>
      <td>
        <input type="checkbox" checked={ticked} onChange={onTick} aria-label={`Tick ${name}`} />
      </td>
      <th scope="row">{name}</th>
      <td>
        <strong>{item.mine}</strong>
        <div className="muted" title={new Date(item.decided_at).toLocaleString()}>
          you, {formatAgo(item.decided_at, now)}
        </div>
      </td>
      <td>
        <strong>{item.theirs}</strong>
        <div className="muted" title={new Date(item.theirs_at).toLocaleString()}>
          {item.theirs_by ?? 'someone'}, {formatAgo(item.theirs_at, now)}
        </div>
      </td>
      <td>{scanStateLabel(item.theirs_deep_scan_status)}</td>
      <td className="sync-row-actions">
        <button
          type="button"
          disabled={busy}
          aria-label={`Keep mine (${item.mine}) for ${name}`}
          onClick={() => onResolve('mine')}
        >
          Keep mine
        </button>
        <button
          type="button"
          disabled={busy}
          aria-label={`Accept theirs (${item.theirs}) for ${name}`}
          onClick={() => onResolve('theirs')}
        >
          Accept theirs
        </button>
      </td>
    </tr>
  );
}
