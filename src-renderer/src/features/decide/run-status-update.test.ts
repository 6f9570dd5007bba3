import { describe, expect, it } from 'vitest';
import type { OperationName, UpdateStatusOutput } from '../../../../src-shared/contract';
import { AppError } from '../../../../src-shared/errors';
import { SAVED_ON_THIS_COMPUTER } from '../../../../src-shared/messages';
import { ApiClient } from '../../api/client';
import type { Transport } from '../../api/transport';
import type { ToastAction, Toast } from '../feedback/toasts';
import { EMPTY_SELECTION, selectionReducer } from '../selection/selection';
import { runStatusUpdate, type UpdateDeps } from './run-status-update';

/**
 * A fake transport playing the server's status update over an in-memory table: each request is
 * all or nothing, and `failures` makes the n-th request (1-based, counted over the fake's life)
 * fail before anything is written, as a 503 or a dropped connection would.
 */
function fakeServer(ids: string[], { offline = false } = {}) {
  const status = new Map(ids.map((id) => [id, 'New']));
  const writes = new Map<string, number>();
  const requests: { n: number; place_ids: string[]; ok: boolean }[] = [];
  const failures = new Map<number, AppError>();
  let undoJournal: { token: string; previous: Map<string, string> } | null = null;
  const transport: Transport = {
    kind: 'http',
    async invoke(name: OperationName, input: unknown) {
      await Promise.resolve();
      if (name === 'undoStatusUpdate') {
        const { undo_token } = input as { undo_token: string };
        if (undoJournal?.token !== undo_token) throw new AppError('conflict', 'Nothing to undo');
        for (const [id, previous] of undoJournal.previous) status.set(id, previous);
        const restored = undoJournal.previous.size;
        undoJournal = null;
        return {
          message: `Undone: ${restored} places restored`,
          restored_count: restored,
          skipped_count: 0,
        };
      }
      if (name !== 'updateStatus') throw new Error(`unexpected ${name}`);
      const request = input as { place_ids: string[]; status: string };
      const n = requests.length + 1;
      const failure = failures.get(n);
      requests.push({ n, place_ids: request.place_ids, ok: !failure });
      if (failure) throw failure;
      const changed = request.place_ids.filter((id) => status.get(id) !== request.status);
      const previous = new Map(changed.map((id) => [id, status.get(id)!]));
      for (const id of changed) {
        status.set(id, request.status);
        writes.set(id, (writes.get(id) ?? 0) + 1);
      }
      undoJournal = { token: `undo-${n}`, previous };
      const output: UpdateStatusOutput = {
        // Only the offline suffix matters to the client: it sums the counts itself.
        message:
          offline && changed.length > 0
            ? `${changed.length} updated, ${SAVED_ON_THIS_COMPUTER}`
            : '',
        matched_count: request.place_ids.length,
        updated_count: changed.length,
        queued_count: 0,
        dequeued_count: 0,
        already_queued_count: 0,
        already_scanned_count: 0,
        not_found: [],
        undo_token: changed.length > 0 ? `undo-${n}` : null,
      };
      return output;
    },
    subscribe: () => () => {},
    onReconnect: () => () => {},
    connection: () => true,
    onConnectionChange: () => () => {},
  };
  return { client: new ApiClient(transport), status, writes, requests, failures };
}

function harness(ids: string[], maxIds: number, options: { offline?: boolean } = {}) {
  const server = fakeServer(ids, options);
  const toasts: Omit<Toast, 'id'>[] = [];
  const tasks: Promise<void>[] = [];
  let saved = 0;
  const undoable: [string | null, number][] = [];
  const deps: UpdateDeps = {
    client: server.client,
    notify: (kind, message, action) => toasts.push({ kind, message, action }),
    onSaved: () => saved++,
    track: (task) => void tasks.push(task()),
    maxIds,
    onUndoable: (token, count) => undoable.push([token, count]),
  };
  /** Clicks the last toast's action and waits for what it started. */
  const click = async (label: string) => {
    const action: ToastAction | undefined = toasts.at(-1)?.action;
    expect(action?.label).toBe(label);
    action!.run();
    await Promise.all(tasks.splice(0));
  };
  return { server, toasts, deps, click, saved: () => saved, undoable };
}

const ids = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}`);
const selectionOf = (list: string[]) =>
  selectionReducer(EMPTY_SELECTION, { type: 'add', ids: list });

describe('a status update sent in batches', () => {
  it('when batch 2 of 3 fails, the toast says what was saved and Retry sends only the rest', async () => {
    const h = harness(ids, 10);
    h.server.failures.set(2, new AppError('unavailable', 'Cannot reach the server.'));

    await runStatusUpdate(h.deps, 'Maybe', selectionOf(ids));

    expect(h.server.requests.map((r) => [r.place_ids.length, r.ok])).toEqual([
      [10, true],
      [10, false],
    ]);
    expect([...h.server.writes.keys()]).toEqual(ids.slice(0, 10));
    expect(h.toasts).toHaveLength(1);
    expect(h.toasts[0]).toMatchObject({
      kind: 'error',
      message:
        'Only 1 of 3 batches were saved (10 updated). The rest failed: Cannot reach the server. ' +
        'The rest did not happen. Retry sends only the 15 places not saved.',
    });
    // The grid and summary re-read what the first batch saved.
    expect(h.saved()).toBe(1);

    await h.click('Retry');

    // Only the unsaved ids went again, each once; every place was written exactly once.
    expect(h.server.requests.slice(2).map((r) => [r.place_ids, r.ok])).toEqual([
      [ids.slice(10, 20), true],
      [ids.slice(20), true],
    ]);
    expect([...h.server.writes.values()]).toEqual(ids.map(() => 1));
    expect([...h.server.status.values()]).toEqual(ids.map(() => 'Maybe'));
    expect(h.toasts.at(-1)).toEqual({
      kind: 'success',
      message: 'All 3 batches saved: 25 updated',
      // Undo would only undo the last batch: none is offered for a decision sent in parts.
      action: undefined,
    });
    expect(h.saved()).toBe(2);
  });

  it('a retry that fails again counts the batches of the whole decision', async () => {
    const h = harness(ids, 10);
    h.server.failures.set(2, new AppError('unavailable', 'Cannot reach the server.'));
    h.server.failures.set(4, new AppError('internal_error', 'HTTP 500'));

    await runStatusUpdate(h.deps, 'Archived', selectionOf(ids));
    await h.click('Retry'); // batch 2 now goes through, batch 3 fails

    expect(h.toasts.at(-1)?.message).toBe(
      'Only 2 of 3 batches were saved (20 updated). The rest failed: ' +
        'Could not finish the rest: HTTP 500 Retry sends only the 5 places not saved.',
    );
    await h.click('Retry');
    expect(h.server.requests.map((r) => [r.place_ids.length, r.ok])).toEqual([
      [10, true],
      [10, false],
      [10, true],
      [5, false],
      [5, true],
    ]);
    expect([...h.server.writes.values()]).toEqual(ids.map(() => 1));
    expect(h.toasts.at(-1)?.message).toBe('All 3 batches saved: 25 updated');
  });

  it('the first batch failing saves nothing and Retry sends everything', async () => {
    const h = harness(ids, 10);
    h.server.failures.set(1, new AppError('unavailable', 'Cannot reach the server.'));

    await runStatusUpdate(h.deps, 'Maybe', selectionOf(ids));
    expect(h.toasts.at(-1)?.message).toBe(
      'Cannot reach the server. The change to Maybe did not happen.',
    );
    expect(h.saved()).toBe(0);
    await h.click('Retry');
    expect(h.server.requests.slice(1).map((r) => r.place_ids.length)).toEqual([10, 10, 5]);
    expect([...h.server.writes.values()]).toEqual(ids.map(() => 1));
    expect(h.toasts.at(-1)?.message).toBe('25 updated');
  });

  it('a refusal that a retry cannot fix offers no Retry', async () => {
    const h = harness(ids, 10);
    h.server.failures.set(2, new AppError('validation_error', 'status: must be one of ...'));
    await runStatusUpdate(h.deps, 'Maybe', selectionOf(ids));
    expect(h.toasts.at(-1)?.kind).toBe('error');
    expect(h.toasts.at(-1)?.action).toBeUndefined();
  });

  it('one request hands its undo token to the undo stack; the toast, which a later one replaces, offers none', async () => {
    const h = harness(ids, 10);
    const few = ids.slice(0, 3);
    await runStatusUpdate(h.deps, 'Maybe', selectionOf(few));
    expect(h.toasts.at(-1)).toEqual({ kind: 'success', message: '3 updated', action: undefined });
    expect(h.undoable).toEqual([['undo-1', 3]]);
  });

  it('the default batch is the contract limit: 25,000 ids go as 10,000 + 10,000 + 5,000', async () => {
    const many = Array.from({ length: 25_000 }, (_, i) => `m${i}`);
    const h = harness(many, undefined as unknown as number);
    await runStatusUpdate({ ...h.deps, maxIds: undefined }, 'Maybe', selectionOf(many));
    expect(h.server.requests.map((r) => r.place_ids.length)).toEqual([10_000, 10_000, 5_000]);
    expect(h.toasts.at(-1)?.message).toBe('25,000 updated');
  });

  it('an update sent in batches goes on the stack as one that cannot be undone; one that changed nothing does not', async () => {
    const h = harness(ids, 10);
    await runStatusUpdate(h.deps, 'Archived', selectionOf(ids));
    expect(h.undoable).toEqual([[null, 25]]);
    await runStatusUpdate(h.deps, 'Archived', selectionOf(ids.slice(0, 2)));
    expect(h.undoable).toHaveLength(1);
  });

  it('saved on this computer (team mode offline): the toast says so, for one request or batches', async () => {
    const one = harness(ids, 10_000, { offline: true });
    await runStatusUpdate(one.deps, 'Maybe', selectionOf(ids.slice(0, 2)));
    expect(one.toasts.at(-1)?.message).toBe(`2 updated, ${SAVED_ON_THIS_COMPUTER}`);

    const batched = harness(ids, 10, { offline: true });
    await runStatusUpdate(batched.deps, 'Maybe', selectionOf(ids));
    expect(batched.toasts.at(-1)?.message).toBe(`25 updated, ${SAVED_ON_THIS_COMPUTER}`);

    const online = harness(ids, 10);
    await runStatusUpdate(online.deps, 'Maybe', selectionOf(ids));
    expect(online.toasts.at(-1)?.message).toBe('25 updated');
  });
});
