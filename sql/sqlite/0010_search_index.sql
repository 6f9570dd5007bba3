-- Staging Editor, SQLite schema 0010: a trigram index for free-text search (issue 10).
-- Ready to run by hand: sqlite3 -bail staging.sqlite < sql/sqlite/0010_search_index.sql
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- A search needs every one of its terms somewhere in a place's search_text (0004, folded by the
-- database; the rule is src-shared/search-query.ts). Each term is a LIKE '%term%' on search_text,
-- which SQLite can only answer by reading every row. places_search is an FTS5 table with the
-- trigram tokenizer holding each place's search_text under the place's id (rowid = id): a
-- phrase of a term's trigrams (MATCH '"term"') finds the places holding the term, as consecutive
-- characters, from the index. The app asks it for the terms of 3 characters or more to narrow the
-- rows, and the LIKEs still decide, so the index can never change which places a search finds.
--
-- case_sensitive 1: search_text and the terms are already folded by the same map, so the index
-- compares them as they are. columnsize=0: nothing here ranks by length.
CREATE VIRTUAL TABLE IF NOT EXISTS places_search USING fts5(
  search_text,
  tokenize = 'trigram case_sensitive 1',
  columnsize = 0
);

-- Kept by the database, whoever writes places_staging (the app, an import, SQL by hand). Every
-- INSERT is folded by a trigger of 0004, which writes search_text: the UPDATE trigger indexes it.
-- The INSERT trigger covers a row inserted with its search_text given (it reads the row as it is
-- then, so the order in which SQLite runs it and 0004's triggers does not matter). The index row
-- is deleted and written again rather than written with OR REPLACE: a trigger's conflict clause
-- gives way to the outer statement's (an INSERT OR IGNORE would keep a stale index row).
CREATE TRIGGER IF NOT EXISTS places_search_insert
AFTER INSERT ON places_staging
WHEN NEW.search_text <> ''
BEGIN
  DELETE FROM places_search WHERE rowid = NEW.id;
  INSERT INTO places_search (rowid, search_text)
    SELECT id, search_text FROM places_staging WHERE id = NEW.id;
END;

CREATE TRIGGER IF NOT EXISTS places_search_update
AFTER UPDATE OF id, search_text ON places_staging
BEGIN
  DELETE FROM places_search WHERE rowid = OLD.id;
  INSERT INTO places_search (rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;

CREATE TRIGGER IF NOT EXISTS places_search_delete
AFTER DELETE ON places_staging
BEGIN
  DELETE FROM places_search WHERE rowid = OLD.id;
END;

-- Index the places already there (none twice, so running this again writes nothing).
INSERT INTO places_search (rowid, search_text)
  SELECT id, search_text FROM places_staging
  WHERE id NOT IN (SELECT rowid FROM places_search);

INSERT OR IGNORE INTO schema_migrations (version) VALUES ('0010');
