import { useCallback, useMemo, useRef, useState } from 'react';
import type { PlaceStatus } from '../../../../src-shared/domain';
import { useClient } from '../../api/client-context';
import { maxIdsPerRequest } from '../../app/test-hooks';
import { useToasts } from '../feedback/toasts';
import { selectedCount, type Selection } from '../selection/selection';
import { runStatusUpdate, type UpdateDeps } from './run-status-update';

/** Updates from the Update button (and keys on every row matching a filter): any size. */
export function useStatusUpdate(
  onSaved: () => void,
  onUndoable: (undoToken: string | null, count: number) => void,
) {
  const client = useClient();
  const { notify } = useToasts();
  const [busy, setBusy] = useState(false);
  const running = useRef(0);

  // Updates and retries both count as busy: the Update button waits for every one of them.
  const track = useCallback(<T>(task: () => Promise<T>): Promise<T> => {
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
      onUndoable,
    }),
    [client, notify, onSaved, track, onUndoable],
  );

  const apply = useCallback(
    /** Answers whether the whole update was stored. */
    async (status: PlaceStatus, target: Selection): Promise<boolean> => {
      if (selectedCount(target) === 0) return false;
      return track(() => runStatusUpdate(deps, status, target));
    },
    [deps, track],
  );

  return { apply, busy };
}
