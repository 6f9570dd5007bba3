import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PlaceStatus } from '../../src-shared/domain';
import { placesStaging as t, syncOutbox as o, syncServerPlaces } from '../db/schema.sqlite';
import type { SqliteStore } from '../db/store';

/**
 * The outbox of offline decisions on this machine's SQLite replica (issue 8; table sync_outbox,
 * sql/sqlite/0008). The places repository, when made with `{ outbox: true }`, calls
 * readOutboxPlan() before its visible change and writeOutboxPlan() after it, inside the SAME
 * BEGIN IMMEDIATE transaction: the rows and their outbox entries commit or roll back together.
 *
 * One entry per place whose status a decision changes (scan-only changes have none: the scan is
 * never sent, the server derives it from the status). The rules, per place:
 *
 * - No unanswered entry: a new `pending` entry, based on the replica row as it is before the
 *   change (its status_revision and status). That is the server's revision and status as last
 *   known: the pull writes the server's revision into the row, and the row keeps it until the
 *   first local change (the replica's trigger then bumps it: a row with an unanswered entry no
 *   longer carries a server revision, which is why the base lives in the entry).
 * - A `pending` entry (never handed to a push): the decision collapses into it. It takes the new
 *   target, user and decided_at, and keeps its mutation id, base and place in the order, so rapid
 *   edits never conflict with themselves. If the new target is its base_status (the reviewer went
 *   back to the server's status as last pulled) the entry is removed: nothing to send; and if no
 *   earlier entry of the place is unanswered, the row's status_revision is put back to the base,
 *   so the row carries the server's revision again. Exception: when the pull has since set aside
 *   a newer server version of the place (sync_server_places, another revision or gone), the entry
 *   is kept with the new target: the reviewer's view never showed the colleague's change, so the
 *   push must report the disagreement (or agreement) instead of leaving the row silently stale.
 * - Only a `sent` entry (handed to a push whose answer is not known): a new `pending` entry after
 *   it. Its base is the sent entry's base_revision, and its base_status is the sent entry's
 *   target (the state the place has once the sent one is applied). That base is provisional: the
 *   push client must REBASE it when the sent entry is answered (see below) and must not send it
 *   before then.
 *
 * What the push client (not built here) must do with the outbox:
 * - Read the `sent` and `pending` entries in `seq` order (sync_outbox_state_seq_idx), at most one
 *   entry per place per batch: an entry waits until every earlier entry of its place is answered.
 *   Mark them `sent` (sent_at) in a SQLite transaction BEFORE calling applyMutations; a `sent`
 *   entry is sent again with the same mutation id until answered (the server applies each id
 *   once and replays the stored result).
 * - On each answer, in one SQLite transaction: store `result`; state = `synced` for applied or
 *   agreed, `conflict`, or `rejected`. Rebase the place's next unanswered entry: after applied
 *   or agreed, its base_revision := result.place.status_revision (its base_status already is the
 *   answered target); after a conflict or a rejection, leave it on its old base (it was decided
 *   without seeing the colleague's change, so the server answers conflict, or agreed, honestly).
 *   If the place has no unanswered entry left, bring the server's state into the replica row
 *   (status as answered or the sync_server_places copy, then status_revision by a second UPDATE
 *   as pull.ts does) and drop its sync_server_places copy: otherwise the row keeps a local
 *   revision and the next decision on it would be based on a revision the server never had.
 * - A temporary failure leaves the entries `sent` (retried on a timer and on reconnect); a
 *   permanent rejection is recorded and the rest goes on.
 */

type Tx = Pick<SqliteStore['db'], 'all' | 'run' | 'get'>;

/** One place a decision changes the status of, with what the outbox knows about it. */
export interface OutboxPlanRow {
  place_id: string;
  target: PlaceStatus;
  /** The replica row's status and status_revision before the change. */
  status: PlaceStatus;
  revision: number;
  pending_id: string | null;
  pending_base_status: PlaceStatus | null;
  pending_base_revision: number | null;
  /** The place's latest `sent` entry (unanswered), if any. */
  sent_base_revision: number | null;
  sent_target: PlaceStatus | null;
  /** The pull set aside a server version of the place at another revision than the base, or gone. */
  server_moved: 0 | 1;
}

export interface OutboxPlan {
  rows: OutboxPlanRow[];
}

/**
 * The decisions of a status update: the places the condition matches whose status is not
 * `status` yet. A SELECT of (place_id, target) for readOutboxPlan().
 */
export function updateDecisions(match: SQL | undefined, status: PlaceStatus): SQL {
  return sql`SELECT ${t.place_id} AS place_id, ${status} AS target FROM ${t}
    WHERE ${match ?? sql`1`} AND ${t.status} <> ${status}`;
}

/**
 * Reads, before the visible change, what the outbox needs about each place in `decisions` (a
 * SELECT of place_id and target, one row per place whose status changes).
 */
export function readOutboxPlan(tx: Tx, decisions: SQL): OutboxPlan {
  const rows = tx.all<OutboxPlanRow>(sql`WITH d(place_id, target) AS (${decisions})
    SELECT d.place_id AS place_id, d.target AS target,
      p.status AS status, p.status_revision AS revision,
      pe.mutation_id AS pending_id, pe.base_status AS pending_base_status,
      pe.base_revision AS pending_base_revision,
      (SELECT s.base_revision FROM ${o} AS s WHERE s.place_id = d.place_id AND s.state = 'sent'
        ORDER BY s.seq DESC LIMIT 1) AS sent_base_revision,
      (SELECT s.target_status FROM ${o} AS s WHERE s.place_id = d.place_id AND s.state = 'sent'
        ORDER BY s.seq DESC LIMIT 1) AS sent_target,
      CASE WHEN sp.place_id IS NULL THEN 0
           WHEN sp.place IS NULL THEN 1
           WHEN json_extract(sp.place, '$.status_revision') IS pe.base_revision THEN 0
           ELSE 1 END AS server_moved
    FROM d
    JOIN ${t} AS p ON p.place_id = d.place_id
    LEFT JOIN ${o} AS pe ON pe.place_id = d.place_id AND pe.state = 'pending'
    LEFT JOIN ${syncServerPlaces} AS sp ON sp.place_id = d.place_id`);
  return { rows };
}

export interface OutboxWrites {
  /** New pending entries. */
  inserted: {
    place_id: string;
    target: PlaceStatus;
    base_revision: number;
    base_status: PlaceStatus;
  }[];
  /** Pending entries that take a new target (mutation id, target). */
  collapsed: [string, PlaceStatus][];
  /** Pending entries removed: the decision returned to the entry's base status. */
  cancelled: string[];
  /** Rows whose status_revision goes back to the server's (place id, revision). */
  revisions: [string, number][];
}

/** The collapse rules (see the top of this file) for each place, as writes. */
export function outboxWrites(plan: OutboxPlan): OutboxWrites {
  const w: OutboxWrites = { inserted: [], collapsed: [], cancelled: [], revisions: [] };
  for (const r of plan.rows) {
    const afterSent = r.sent_target !== null;
    if (r.pending_id !== null) {
      if (r.target === r.pending_base_status && (afterSent || !r.server_moved)) {
        w.cancelled.push(r.pending_id);
        if (!afterSent) w.revisions.push([r.place_id, r.pending_base_revision!]);
      } else {
        w.collapsed.push([r.pending_id, r.target]);
      }
    } else {
      w.inserted.push({
        place_id: r.place_id,
        target: r.target,
        base_revision: afterSent ? r.sent_base_revision! : r.revision,
        base_status: afterSent ? r.sent_target! : r.status,
      });
    }
  }
  return w;
}

/** Writes the plan's entries; call it after the visible change, in the same transaction. */
export function writeOutboxPlan(tx: Tx, plan: OutboxPlan, userId: string, now: Date): void {
  const w = outboxWrites(plan);
  const at = now.getTime();
  if (w.cancelled.length) {
    tx.run(
      sql`DELETE FROM ${o} WHERE ${o.mutation_id} IN (SELECT value FROM json_each(${JSON.stringify(w.cancelled)}))`,
    );
  }
  if (w.collapsed.length) {
    tx.run(sql`UPDATE ${o} SET target_status = x.target, user_id = ${userId}, decided_at = ${at}
      FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS target
            FROM json_each(${JSON.stringify(w.collapsed)})) AS x
      WHERE ${o}.mutation_id = x.id`);
  }
  if (w.inserted.length) {
    const last = tx.get<{ seq: number | null }>(sql`SELECT MAX(seq) AS seq FROM ${o}`)?.seq ?? 0;
    // One UUIDv7 per entry; the order is `seq`, never the clock inside the id.
    const entries = w.inserted.map((e) => ({ ...e, id: uuidv7() }));
    tx.run(sql`INSERT INTO ${o} (mutation_id, seq, place_id, target_status, base_revision,
        base_status, user_id, decided_at, state)
      SELECT value ->> '$.id', ${last} + key + 1, value ->> '$.place_id', value ->> '$.target',
        value ->> '$.base_revision', value ->> '$.base_status', ${userId}, ${at}, 'pending'
      FROM json_each(${JSON.stringify(entries)})`);
  }
  if (w.revisions.length) {
    // No status changes here, so the replica's revision trigger does not fire.
    tx.run(sql`UPDATE ${t} SET status_revision = x.revision
      FROM (SELECT value ->> '$[0]' AS place_id, value ->> '$[1]' AS revision
            FROM json_each(${JSON.stringify(w.revisions)})) AS x
      WHERE ${t}.place_id = x.place_id`);
  }
}

/**
 * The pull's hook (PullOptions.pendingDecisions in pull.ts): of these places, the ones with an
 * unanswered decision (`pending` or `sent`). It runs on the replica's connection, so called
 * inside the pull's SQLite transaction it reads the outbox as that transaction sees it.
 */
export function pendingDecisions(
  sqlite: Database.Database,
): (placeIds: readonly string[]) => ReadonlySet<string> {
  const statement = sqlite
    .prepare<[string], string>(
      `SELECT DISTINCT place_id FROM sync_outbox
       WHERE state IN ('pending', 'sent') AND place_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck();
  return (placeIds) => new Set(statement.all(JSON.stringify(placeIds)));
}
