import { UNDO_STACK_DEPTH, UNDO_WINDOW_SECONDS } from '../../../../src-shared/domain';

/** One undoable decision: a key press, or an update from the Update button. */
export interface UndoEntry {
  /** The key decision it undoes (its token comes once stored), or null for an update. */
  decisionSeq: number | null;
  /** The server's undo token; null while the decision waits to be stored. */
  token: string | null;
  /** Places it decided, for the messages. */
  count: number;
  /** When the server stored it (ms, Date.now()); null while it waits. */
  storedAt: number | null;
}

/**
 * The reviewer's last decisions, newest on top, undone one by one (z, Ctrl/⌘+Z, the Undo
 * button). A decision still waiting for the server is on the stack at once, so an undo typed
 * right after its key takes back that decision, not an older one. Entries past the server's undo
 * window are dropped when they reach the top: the server would refuse them.
 */
export class UndoStack {
  private entries: UndoEntry[] = [];

  constructor(
    private readonly depth = UNDO_STACK_DEPTH,
    private readonly windowMs = UNDO_WINDOW_SECONDS * 1000,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  push(entry: UndoEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.depth) this.entries.splice(0, this.entries.length - this.depth);
  }

  /** The server stored a key decision (token), or it changed nothing or was refused (null). */
  settle(decisionSeq: number, token: string | null, now: number): void {
    const index = this.entries.findIndex((e) => e.decisionSeq === decisionSeq);
    if (index < 0) return;
    if (token === null) this.entries.splice(index, 1);
    else this.entries[index] = { ...this.entries[index]!, token, storedAt: now };
  }

  /** Takes the newest entry still undoable, or null (expired ones are dropped). */
  pop(now: number): UndoEntry | null {
    for (let entry = this.entries.pop(); entry; entry = this.entries.pop()) {
      if (entry.storedAt === null || now - entry.storedAt <= this.windowMs) return entry;
      // This one expired, so did every older one.
      this.entries = [];
    }
    return null;
  }

  /** Whether pop() would answer an entry now. */
  canUndo(now: number): boolean {
    const top = this.entries.at(-1);
    return top !== undefined && (top.storedAt === null || now - top.storedAt <= this.windowMs);
  }
}
