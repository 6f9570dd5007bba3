import type { AppError } from '../../../../src-shared/errors';
import type { PlaceStatus } from '../../../../src-shared/domain';
import { toAppError, type ApiClient } from '../../api/client';
import { plainErrorText } from '../feedback/error-text';
import type { ToastApi } from '../feedback/toasts';
import type { Selection } from '../selection/selection';
import {
  describeCompletedRetry,
  describePartialUpdate,
  describeUpdate,
  savedOnThisComputer,
} from './update-message';
import {
  addUpdateResult,
  buildUpdateRequests,
  NO_UPDATES,
  type UpdateRequest,
  type UpdateTotals,
} from './update-requests';

const RETRYABLE: ReadonlySet<AppError['type']> = new Set([
  'unauthorized',
  'unavailable',
  'internal_error',
]);

export interface UpdateDeps {
  client: ApiClient;
  notify: ToastApi['notify'];
  /** Something was written: re-read the grid and the summary. */
  onSaved(): void;
  /** Runs a follow-up the reviewer started from a toast (Retry) as busy work. */
  track(task: () => Promise<void>): void;
  /** Place ids per request (default: the contract's limit). */
  maxIds?: number;
  /**
   * The update was stored: its undo token for the undo stack (z, Ctrl/⌘+Z, the Undo button), or
   * null when it went in several requests and can't be undone as one. Not called when it
   * changed nothing.
   */
  onUndoable?(undoToken: string | null, count: number): void;
}

/** Where a decision stands: what its earlier attempts saved, out of how many batches. */
interface Progress {
  totals: UpdateTotals;
  batchesDone: number;
  batchesTotal: number;
  /** A batch was saved on this computer's replica (team mode offline). */
  offline: boolean;
}

/**
 * Sends a status decision for a selection and reports the exact counts. Batches run one after
 * another; if one fails, the toast says what was saved and offers to retry the unsaved batches
 * only (each batch is all or nothing on the server, so none is ever sent twice after a success).
 */
/** Answers whether every batch was stored. */
export function runStatusUpdate(
  deps: UpdateDeps,
  status: PlaceStatus,
  target: Selection,
): Promise<boolean> {
  const requests = buildUpdateRequests(target, status, deps.maxIds);
  return sendBatches(deps, status, requests, {
    totals: NO_UPDATES,
    batchesDone: 0,
    batchesTotal: requests.length,
    offline: false,
  });
}

async function sendBatches(
  deps: UpdateDeps,
  status: PlaceStatus,
  requests: readonly UpdateRequest[],
  before: Progress,
): Promise<boolean> {
  let totals = before.totals;
  let offline = before.offline;
  let undoToken: string | null = null;
  let sent = 0;
  try {
    for (const request of requests) {
      const result = await deps.client.call('updateStatus', request);
      totals = addUpdateResult(totals, result);
      offline ||= savedOnThisComputer(result.message);
      undoToken = result.undo_token;
      sent++;
    }
    // Undo covers one request: a decision sent in several batches (over 10,000 ids, or finished
    // by a retry after a partial failure) offers none, rather than undoing only its last part.
    // The stack holds it (z, Ctrl/⌘+Z, the Undo button), not the toast: a later toast replaces
    // this one, and the undo must outlive it.
    if (before.batchesTotal > 1) deps.onUndoable?.(null, totals.matched_count);
    else if (undoToken) deps.onUndoable?.(undoToken, totals.matched_count);
    const message =
      before.batchesDone > 0
        ? describeCompletedRetry(totals, status, before.batchesTotal, { offline })
        : describeUpdate(totals, status, { offline });
    deps.notify('success', message);
    return true;
  } catch (thrown) {
    const error = toAppError(thrown);
    const unsent = requests.slice(sent);
    const progress: Progress = {
      totals,
      batchesDone: before.batchesDone + sent,
      batchesTotal: before.batchesTotal,
      offline,
    };
    const retry = RETRYABLE.has(error.type)
      ? {
          label: 'Retry',
          run: () =>
            deps.track(async () => {
              await sendBatches(deps, status, unsent, progress);
            }),
        }
      : undefined;
    const message =
      progress.batchesDone === 0
        ? plainErrorText(error, `the change to ${status}`)
        : describePartialUpdate(
            totals,
            status,
            progress.batchesDone,
            progress.batchesTotal,
            unsent.reduce((n, request) => n + (request.place_ids?.length ?? 0), 0),
            plainErrorText(error, 'the rest'),
            { offline },
          );
    deps.notify('error', message, retry);
    return false;
  } finally {
    if (sent > 0) deps.onSaved();
  }
}
