import type { PlaceListItem } from '../../../../src-shared/contract';
import { scanStateAfterDecision, type PlaceStatus } from '../../../../src-shared/domain';

/** What a grid row shows of a decision: its status, and the deep scan state that follows. */
export type ShownRow = Pick<PlaceListItem, 'status' | 'deep_scan_status'>;

interface Shown {
  /** The key decision the row shows (the latest one on this place). */
  seq: number;
  status: PlaceStatus;
  /** Page time the server stored it; null while pending. */
  storedAt: number | null;
}

/**
 * The statuses the grid shows before the server has answered: a key decision shows at once
 * (marked pending), stays while it is stored and until a read asked after that brings the stored
 * row, and is taken back if the server refuses it. Rows re-read while a decision is out would
 * otherwise flicker back to the old status. The deep scan state shown follows the decision by
 * step 6's rule (scanStateAfterDecision: Selected queues a place never scanned), so a row never
 * says "Selected" beside "Never queued".
 */
export class OptimisticStatuses {
  private rows = new Map<string, Shown>();
  /** Per decision: its places and what each showed before it (to roll back to). */
  private decisions = new Map<number, Map<string, ShownRow>>();

  /** A key decision: its places show `status` from now on, pending. */
  decide(seq: number, status: PlaceStatus, before: ReadonlyMap<string, ShownRow>): void {
    this.decisions.set(seq, new Map(before));
    for (const placeId of before.keys()) this.rows.set(placeId, { seq, status, storedAt: null });
  }

  /** The server stored it at page time `at`: no longer pending. */
  stored(seq: number, at: number): void {
    const places = this.decisions.get(seq);
    this.decisions.delete(seq);
    for (const placeId of places?.keys() ?? []) {
      const row = this.rows.get(placeId);
      if (row?.seq === seq) this.rows.set(placeId, { ...row, storedAt: at });
    }
  }

  /**
   * The decision was refused, or taken back before it was sent: the places it still shows go
   * back to what they showed before it. Answers those places and what they show again.
   */
  rollBack(seq: number): Map<string, ShownRow> {
    const places = this.decisions.get(seq) ?? new Map<string, ShownRow>();
    this.decisions.delete(seq);
    const restored = new Map<string, ShownRow>();
    for (const [placeId, before] of places) {
      if (this.rows.get(placeId)?.seq !== seq) continue; // a later key decided it again
      this.rows.delete(placeId);
      restored.set(placeId, before);
    }
    return restored;
  }

  isPending(placeId: string): boolean {
    return this.rows.get(placeId)?.storedAt === null;
  }

  /**
   * What to show for a row read from the server (asked at page time `askedAt`). A read asked
   * after the decision was stored is the truth from then on.
   */
  shown(placeId: string, read: ShownRow, askedAt: number): ShownRow {
    const row = this.rows.get(placeId);
    if (!row) return read;
    if (row.storedAt !== null && askedAt > row.storedAt) {
      this.rows.delete(placeId);
      return read;
    }
    return decided(read, row.status);
  }
}

/** A row as it shows once decided to `status` (the rule is idempotent: a stored row stays). */
export function decided(row: ShownRow, status: PlaceStatus): ShownRow {
  return { status, deep_scan_status: scanStateAfterDecision(row.deep_scan_status, status) };
}
