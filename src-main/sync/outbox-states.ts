/**
 * The states of an outbox entry (sql/sqlite/0008_sync_outbox.sql says what each means): `pending`
 * (never handed to a push), `sent` (handed to a push whose answer is not known yet), then the
 * answer: `synced` (applied or agreed), `conflict`, `rejected`.
 */
export const OUTBOX_STATES = ['pending', 'sent', 'synced', 'conflict', 'rejected'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** The states that hold the place's local row against a pull: the answer is not known yet. */
export const UNANSWERED_STATES = ['pending', 'sent'] as const satisfies readonly OutboxState[];
