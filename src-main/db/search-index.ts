/**
 * The trigram index for free-text search, on a table of its own holding each place's
 * search_text under its id, kept by these triggers. SQLite (sql/sqlite/0010_search_index.sql): an
 * FTS5 table. PostgreSQL (sql/pg/0016_search_table.sql): a table with a trigram GIN index that
 * answers each term's LIKE, written only when a place's search_text changes (an index on
 * places_staging itself took a new entry at every decision and claim).
 * test/db/schema.test.ts checks a migrated store has exactly these objects.
 */
export const SEARCH_INDEX_OBJECTS = {
  postgres: {
    table: 'places_search',
    functions: ['places_search_record'],
    triggers: [
      'places_search_insert',
      'places_search_update',
      'places_search_delete',
      'places_search_truncate',
    ],
  },
  sqlite: {
    table: 'places_search',
    triggers: ['places_search_insert', 'places_search_update', 'places_search_delete'],
  },
} as const;
