/**
 * The PostgreSQL objects of sql/pg/0007_sync_changes.sql (the change feed replicas pull from);
 * test/db/schema.test.ts checks the database has exactly these besides the search_text ones.
 */
export const CHANGE_FEED_OBJECTS = {
  postgres: {
    triggers: ['places_staging', 'local_businesses'].flatMap((table) =>
      ['insert', 'update', 'delete'].map((op) => `${table}_sync_${op}`),
    ),
    functions: ['sync_changes_record'],
  },
} as const;
