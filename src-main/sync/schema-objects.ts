/** The triggers and functions of sql/pg and sql/sqlite 0006_status_revision_sync.sql. */
export const STATUS_REVISION_OBJECTS = {
  postgres: {
    functions: ['places_staging_status_revision'],
    triggers: ['places_staging_status_revision'],
  },
  sqlite: { triggers: ['places_staging_status_revision'] },
} as const;
