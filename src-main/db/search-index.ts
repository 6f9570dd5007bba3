/**
 * SQLite's trigram index for free-text search (sql/sqlite/0010_search_index.sql): an FTS5 table
 * holding each place's search_text under its id, kept by these triggers. PostgreSQL needs none:
 * its trigram GIN index on search_text (0001) answers each term's LIKE.
 * test/db/schema.test.ts checks a migrated store has exactly these objects.
 */
export const SEARCH_INDEX_OBJECTS = {
  sqlite: {
    table: 'places_search',
    triggers: ['places_search_insert', 'places_search_update', 'places_search_delete'],
  },
} as const;
