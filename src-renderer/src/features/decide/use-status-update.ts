import { useCallback, useMemo, useRef, useState } from 'react';
import { UNDO_WINDOW_SECONDS, type PlaceStatus } from '../../../../src-shared/domain';
import { useClient } from '../../api/client-context';
import { maxIdsPerRequest } from '../../app/test-hooks';
import { useToasts } from '../feedback/toasts';
import { selectedCount, type Selection } from '../selection/selection';
import { runStatusUpdate, type UpdateDeps } from './run-status-update';

export function useStatusUpdate(onSaved: () => void) {
  const client = useClient();
  const { notify } = useToasts();
  const [busy, setBusy] = useState(false);
  const running = useRef(0);
  const lastUndo = useRef<(() => void) | null>(null);

  // Updates, retries and undos all count as busy: the Update button waits for every one of them.
  const track = useCallback((task: () => Promise<void>): Promise<void> => {
    running.current++;
    setBusy(true);
    return task().finally(() => {
      running.current--;
      if (running.current === 0) setBusy(false);
    });
  }, []);

  const deps = useMemo<UpdateDeps>(
    () => ({
      client,
      notify,
      onSaved,
      track: (task) => void track(task),
      maxIds: maxIdsPerRequest(),
      onUndoable: (undo) => {
        lastUndo.current = undo;
      },
    }),
    [client, notify, onSaved, track],
  );

  const apply = useCallback(
    async (status: PlaceStatus, target: Selection): Promise<void> => {
      if (selectedCount(target) === 0) return;
      await track(() => runStatusUpdate(deps, status, target));
    },
    [deps, track],
  );

  /** Ctrl/⌘+Z: the same as the latest toast's Undo; the server still checks the window. */
  const undoLast = useCallback(() => {
    const undo = lastUndo.current;
    if (undo) undo();
    else
      notify(
        'error',
        `Nothing to undo: only your last status update can be undone, within ${UNDO_WINDOW_SECONDS} seconds, once.`,
      );
  }, [notify]);

  return { apply, busy, undoLast };
}
