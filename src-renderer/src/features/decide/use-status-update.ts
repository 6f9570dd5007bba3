import { useCallback, useMemo, useRef, useState } from 'react';
import type { PlaceStatus } from '../../../../src-shared/domain';
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

  return { apply, busy };
}
