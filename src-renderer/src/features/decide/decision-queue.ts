import {
  MAX_DECISIONS_PER_BATCH,
  MAX_PLACE_IDS_PER_REQUEST,
  type PlaceStatus,
} from '../../../../src-shared/domain';

/** One status key press: its rows and status, numbered in the order the keys came. */
export interface Decision {
  seq: number;
  placeIds: readonly string[];
  status: PlaceStatus;
}

/** Work for the server, kept in the order the reviewer asked for it. */
export type Job = { kind: 'decide'; decision: Decision } | { kind: 'undo'; seq: number };

/** What to send next: a batch of decisions (one request), or one undo. */
export type NextRequest = { kind: 'decide'; decisions: Decision[] } | { kind: 'undo'; seq: number };

export interface BatchLimits {
  maxDecisions: number;
  maxIds: number;
}

const DEFAULT_LIMITS: BatchLimits = {
  maxDecisions: MAX_DECISIONS_PER_BATCH,
  maxIds: MAX_PLACE_IDS_PER_REQUEST,
};

/**
 * Keys typed faster than the server answers wait here, in order. Whatever piled up while a
 * request was out leaves as the next request: consecutive decisions go together in one batch
 * (the server applies them in this order, each as its own update), an undo goes alone, after
 * everything typed before it. Nothing is dropped or repeated: a job leaves the queue exactly
 * once, by next() or by cancel().
 */
export class DecisionQueue {
  private jobs: Job[] = [];

  constructor(private readonly limits: BatchLimits = DEFAULT_LIMITS) {}

  get size(): number {
    return this.jobs.length;
  }

  push(job: Job): void {
    this.jobs.push(job);
  }

  /** Takes back a decision not sent yet (its undo came before it left); false if it had left. */
  cancel(seq: number): boolean {
    const index = this.jobs.findIndex((j) => j.kind === 'decide' && j.decision.seq === seq);
    if (index < 0) return false;
    this.jobs.splice(index, 1);
    return true;
  }

  /** Whether this decision is still waiting here (not sent). */
  has(seq: number): boolean {
    return this.jobs.some((j) => j.kind === 'decide' && j.decision.seq === seq);
  }

  /** Removes and answers the next request, or null when there is nothing to send. */
  next(): NextRequest | null {
    const head = this.jobs[0];
    if (!head) return null;
    if (head.kind === 'undo') {
      this.jobs.shift();
      return { kind: 'undo', seq: head.seq };
    }
    const decisions: Decision[] = [];
    let ids = 0;
    while (decisions.length < this.limits.maxDecisions) {
      const job = this.jobs[0];
      if (!job || job.kind !== 'decide') break;
      const size = job.decision.placeIds.length;
      if (decisions.length > 0 && ids + size > this.limits.maxIds) break;
      decisions.push(job.decision);
      ids += size;
      this.jobs.shift();
    }
    return { kind: 'decide', decisions };
  }
}
