import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type RefObject,
} from 'react';
import { useLatest } from '../../app/use-latest';
import type { UpdateStatusOutput } from '../../../../src-shared/contract';
import { UNDO_WINDOW_SECONDS, type PlaceStatus } from '../../../../src-shared/domain';
import type { AppError } from '../../../../src-shared/errors';
import { formatCount } from '../../../../src-shared/messages';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { plainErrorText } from '../feedback/error-text';
import { useToasts } from '../feedback/toasts';
import type { GridHandle } from '../grid/StagingGrid';
import { DecisionQueue, type Decision } from './decision-queue';
import { decided, OptimisticStatuses, type ShownRow } from './optimistic-statuses';
import { UndoStack, type UndoEntry } from './undo-stack';
import { savedOnThisComputer } from './update-message';
import { addUpdateResult, NO_UPDATES } from './update-requests';
import { describeUpdate } from './update-message';

const RETRYABLE: ReadonlySet<AppError['type']> = new Set([
  'unauthorized',
  'unavailable',
  'internal_error',
]);

/**
 * Stored key decisions re-read the rows (and the summary) once the keys have been quiet this
 * long: a re-read reloads every block the grid holds, and during a burst it would queue ahead of
 * the block the keys are heading for.
 */
export const REREAD_AFTER_QUIET_MS = 800;

export const NOTHING_TO_UNDO = `Nothing to undo: your decisions of the last ${UNDO_WINDOW_SECONDS} seconds are all undone.`;

export interface DecisionLoop {
  /** A key decision: shown at once (pending), queued, sent in order with what piles up. */
  decide(placeIds: readonly string[], status: PlaceStatus): void;
  /** An update from the Update button was stored (token) or sent in parts (null: no undo). */
  pushUpdate(token: string | null, count: number): void;
  /** Undoes the newest decision still undoable (z, Ctrl/⌘+Z, the Undo button). */
  undo(): void;
  /** What the grid shows before the server answers (its rows and their pending mark). */
  overlay: OptimisticStatuses;
  /** Decisions typed but not yet stored. */
  pending: number;
  canUndo: boolean;
  /** Undos running (a bulk undo can take a while). */
  undoing: boolean;
}

/**
 * The triage loop's engine: key decisions go out in batches, one request at a time and in key
 * order (the server applies a batch in one transaction, each decision as its own update), their
 * statuses show at once and roll back with an alert if refused; every stored decision goes on the
 * undo stack, which undoes newest first and also holds updates made with the Update button.
 */
export function useDecisionLoop(grid: RefObject<GridHandle | null>, onSaved: () => void) {
  const client = useClient();
  const { notify } = useToasts();
  const [queue] = useState(() => new DecisionQueue());
  const [stack] = useState(() => new UndoStack());
  const [overlay] = useState(() => new OptimisticStatuses());
  /** Undo jobs waiting in the queue, by their sequence number. */
  const [undoJobs] = useState(() => new Map<number, UndoEntry>());
  /** Tokens of key decisions stored (null: changed nothing or refused), for undos queued early. */
  const [tokens] = useState(() => new Map<number, string | null>());
  const seq = useRef(0);
  /** enqueue, for a Retry built before it (the callbacks depend on each other). */
  const enqueueRef = useRef<(placeIds: readonly string[], status: PlaceStatus) => void>(() => {});
  const sending = useRef(false);
  const [pending, setPending] = useState(0);
  const [canUndo, setCanUndo] = useState(false);
  const [undoing, setUndoing] = useState(0);
  const pendingCount = useRef(0);

  const rereadTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latestOnSaved = useLatest(onSaved);
  /** Re-reads once nothing was typed for REREAD_AFTER_QUIET_MS; every key starts it over. */
  const rereadWhenQuiet = useCallback(() => {
    if (rereadTimer.current !== null) clearTimeout(rereadTimer.current);
    rereadTimer.current = setTimeout(() => {
      rereadTimer.current = null;
      if (queue.size === 0) latestOnSaved.current();
    }, REREAD_AFTER_QUIET_MS);
  }, [queue, latestOnSaved]);
  useEffect(() => () => clearTimeout(rereadTimer.current ?? undefined), []);

  const changePending = useCallback((delta: number) => {
    pendingCount.current += delta;
    setPending(pendingCount.current);
  }, []);
  const stackChanged = useCallback(() => setCanUndo(stack.canUndo(Date.now())), [stack]);

  const sendDecisions = useCallback(
    async (decisions: Decision[]) => {
      let results: UpdateStatusOutput[];
      try {
        ({ results } = await client.call('updateStatuses', {
          decisions: decisions.map((d) => ({ place_ids: [...d.placeIds], status: d.status })),
        }));
      } catch (thrown) {
        const error = toAppError(thrown);
        const restored = new Map<string, ShownRow>();
        for (const d of decisions) {
          for (const [id, row] of overlay.rollBack(d.seq)) restored.set(id, row);
          stack.settle(d.seq, null, Date.now());
          tokens.set(d.seq, null);
        }
        grid.current?.showRows(restored);
        changePending(-decisions.length);
        stackChanged();
        const what =
          decisions.length === 1
            ? `the change to ${decisions[0]!.status}`
            : `${decisions.length} decisions`;
        const retry = RETRYABLE.has(error.type)
          ? {
              label: 'Retry',
              run: () => {
                for (const d of decisions) enqueueRef.current(d.placeIds, d.status);
              },
            }
          : undefined;
        // A plain sentence: the rows went back to what they showed, nothing was stored.
        notify(
          'error',
          `${plainErrorText(error, what)} The rows show their status as stored.`,
          retry,
        );
        return;
      }
      const now = performance.now();
      let totals = NO_UPDATES;
      let offline = false;
      decisions.forEach((d, i) => {
        const result = results[i]!;
        overlay.stored(d.seq, now);
        stack.settle(d.seq, result.undo_token, Date.now());
        tokens.set(d.seq, result.undo_token);
        totals = addUpdateResult(totals, result);
        offline ||= savedOnThisComputer(result.message);
      });
      grid.current?.redrawRows(decisions.flatMap((d) => d.placeIds));
      changePending(-decisions.length);
      stackChanged();
      const last = decisions.at(-1)!;
      const counts = describeUpdate(totals, last.status, { offline });
      notify(
        'success',
        decisions.length === 1 ? counts : `${decisions.length} decisions saved: ${counts}`,
      );
      // The rows already show what was stored: re-read them (and the summary) once the keys stop,
      // not after every batch of a burst (each re-read competes with the next batch and block).
      if (queue.size === 0) rereadWhenQuiet();
    },
    [
      client,
      overlay,
      stack,
      tokens,
      grid,
      changePending,
      stackChanged,
      notify,
      rereadWhenQuiet,
      queue,
    ],
  );

  const sendUndo = useCallback(
    async (entry: UndoEntry) => {
      const token =
        entry.token ?? (entry.decisionSeq !== null ? tokens.get(entry.decisionSeq) : null);
      if (!token) {
        // The decision changed nothing, or was refused and rolled back: nothing to put back.
        notify('success', 'Undone: nothing had changed.');
        return;
      }
      setUndoing((n) => n + 1);
      if (entry.count > 1) notify('success', `Undoing ${formatCount(entry.count)} places…`);
      try {
        const result = await client.call('undoStatusUpdate', { undo_token: token });
        notify('success', result.message);
      } catch (thrown) {
        notify('error', plainErrorText(toAppError(thrown), 'the undo'));
      } finally {
        setUndoing((n) => n - 1);
        onSaved();
      }
    },
    [client, notify, onSaved, tokens],
  );

  const pump = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      for (let next = queue.next(); next; next = queue.next()) {
        if (next.kind === 'decide') await sendDecisions(next.decisions);
        else {
          const entry = undoJobs.get(next.seq);
          undoJobs.delete(next.seq);
          if (entry) await sendUndo(entry);
        }
      }
    } finally {
      sending.current = false;
    }
  }, [queue, sendDecisions, sendUndo, undoJobs]);

  const enqueue = useCallback(
    (placeIds: readonly string[], status: PlaceStatus) => {
      const decision: Decision = { seq: ++seq.current, placeIds, status };
      const before = grid.current?.shownRows(placeIds) ?? new Map<string, ShownRow>();
      overlay.decide(decision.seq, status, before);
      grid.current?.showRows(
        new Map([...before].map(([id, row]) => [id, decided(row, status)] as const)),
      );
      stack.push({
        decisionSeq: decision.seq,
        token: null,
        count: placeIds.length,
        storedAt: null,
      });
      queue.push({ kind: 'decide', decision });
      if (rereadTimer.current !== null) rereadWhenQuiet();
      changePending(1);
      stackChanged();
      void pump();
    },
    [grid, overlay, stack, queue, changePending, stackChanged, pump, rereadWhenQuiet],
  );
  useLayoutEffect(() => {
    enqueueRef.current = enqueue;
  }, [enqueue]);

  const pushUpdate = useCallback(
    (token: string | null, count: number) => {
      stack.push({ decisionSeq: null, token, count, storedAt: Date.now() });
      stackChanged();
    },
    [stack, stackChanged],
  );

  const undo = useCallback(() => {
    const entry = stack.pop(Date.now());
    stackChanged();
    if (!entry) {
      notify('error', NOTHING_TO_UNDO);
      return;
    }
    if (entry.decisionSeq !== null && queue.cancel(entry.decisionSeq)) {
      // Typed back before it left: never sent, just shown; put the rows back as they were.
      grid.current?.showRows(overlay.rollBack(entry.decisionSeq));
      changePending(-1);
      notify(
        'success',
        `Undone: ${formatCount(entry.count)} ${entry.count === 1 ? 'place' : 'places'} restored`,
      );
      return;
    }
    if (entry.decisionSeq === null && entry.token === null) {
      notify(
        'error',
        'That update was sent in several parts, so it cannot be undone; nothing was changed. Press z again for the decision before it.',
      );
      return;
    }
    const jobSeq = ++seq.current;
    undoJobs.set(jobSeq, entry);
    queue.push({ kind: 'undo', seq: jobSeq });
    void pump();
  }, [stack, stackChanged, notify, queue, grid, overlay, changePending, undoJobs, pump]);

  return useMemo<DecisionLoop>(
    () => ({
      decide: enqueue,
      pushUpdate,
      undo,
      overlay,
      pending,
      canUndo,
      undoing: undoing > 0,
    }),
    [enqueue, pushUpdate, undo, overlay, pending, canUndo, undoing],
  );
}
