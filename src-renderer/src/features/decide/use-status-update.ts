import { useCallback, useState } from 'react';
import type { PlaceStatus } from '../../../../src-shared/domain';
import type { AppError } from '../../../../src-shared/errors';
import { toAppError, type ApiClient } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { useToasts, type ToastApi } from '../feedback/toasts';
import { selectedCount, type Selection } from '../selection/selection';
import { describePartialUpdate, describeUpdate } from './update-message';
import { addUpdateResult, buildUpdateRequests, NO_UPDATES } from './update-requests';

const RETRYABLE: ReadonlySet<AppError['type']> = new Set([
  'unauthorized',
  'unavailable',
  'internal_error',
]);

interface UpdateDeps {
  client: ApiClient;
  notify: ToastApi['notify'];
  onSaved(): void;
}

/**
 * Sends a status decision for a selection and reports the exact counts. Batches run one after
 * another; if one fails, the toast says what was saved and offers to retry the rest.
 */
async function runStatusUpdate(
  deps: UpdateDeps,
  status: PlaceStatus,
  target: Selection,
): Promise<void> {
  const requests = buildUpdateRequests(target, status);
  let totals = NO_UPDATES;
  let undoToken: string | null = null;
  let done = 0;
  try {
    for (const request of requests) {
      const result = await deps.client.call('updateStatus', request);
      totals = addUpdateResult(totals, result);
      undoToken = result.undo_token;
      done++;
    }
    // Undo covers one request: a batched selection (over 10,000 ids) offers none.
    const undo =
      undoToken && requests.length === 1
        ? { label: 'Undo', run: () => void undoStatusUpdate(deps, undoToken!) }
        : undefined;
    deps.notify('success', describeUpdate(totals, status), undo);
  } catch (thrown) {
    const error = toAppError(thrown);
    const remaining: Selection =
      target.mode === 'ids'
        ? { mode: 'ids', ids: new Set(requests.slice(done).flatMap((r) => r.place_ids ?? [])) }
        : target;
    const retry = RETRYABLE.has(error.type)
      ? { label: 'Retry', run: () => void runStatusUpdate(deps, status, remaining) }
      : undefined;
    const message =
      done === 0
        ? plainErrorText(error, `the change to ${status}`)
        : describePartialUpdate(
            totals,
            status,
            done,
            requests.length,
            plainErrorText(error, 'the rest'),
          );
    deps.notify('error', message, retry);
  } finally {
    if (done > 0) deps.onSaved();
  }
}

/** Puts back what the last update changed, where no scan has started (the server decides). */
async function undoStatusUpdate(deps: UpdateDeps, undoToken: string): Promise<void> {
  try {
    const result = await deps.client.call('undoStatusUpdate', { undo_token: undoToken });
    deps.notify('success', result.message);
    deps.onSaved();
  } catch (thrown) {
    deps.notify('error', plainErrorText(toAppError(thrown), 'the undo'));
  }
}

export function useStatusUpdate(onSaved: () => void) {
  const client = useClient();
  const { notify } = useToasts();
  const [busy, setBusy] = useState(false);

  const apply = useCallback(
    async (status: PlaceStatus, target: Selection): Promise<void> => {
      if (selectedCount(target) === 0) return;
      setBusy(true);
      try {
        await runStatusUpdate({ client, notify, onSaved }, status, target);
      } finally {
        setBusy(false);
      }
    },
    [client, notify, onSaved],
  );

  return { apply, busy };
}
