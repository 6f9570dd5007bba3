-- Staging Editor, PostgreSQL schema 0017: the grid's tables are read without parallel workers.
-- Ready to run by hand: psql -1 -v ON_ERROR_STOP=1 -f sql/pg/0017_no_parallel_scans.sql "$DATABASE_URL"
-- The app applies it on start-up (and `staging-editor migrate`) and records it in schema_migrations.
-- Idempotent: running it again changes nothing. Never edit a shipped script; add a new one.
--
-- Why. The app's reads are many small queries from many reviewers at once: a page of 100 rows,
-- a count, a search. Left to itself the planner gives some of them (a search's count, a page of a
-- search by an unindexed order) a parallel plan, which starts worker processes for one query and
-- competes for the cores the other reviewers' queries are waiting for. Measured with 20 reviewers
-- paging and deciding at once against one server on a 2-core machine (100,000 places,
-- `npm run bench -- --only concurrency`): grid pages p95 420 ms with parallel plans, 279 ms
-- without, and 27% more requests served. `parallel_workers = 0` on a table is a storage setting
-- the planner reads for every scan of it (heap and index), so it holds for every connection,
-- direct or through a transaction-mode pooler, and needs no session state. It costs a single
-- reviewer's scans of a whole big table (a count of a free-text search over millions of places)
-- the speed-up a parallel plan would give on an idle server. To let them back:
--   ALTER TABLE places_staging RESET (parallel_workers);
--   ALTER TABLE places_search RESET (parallel_workers);
-- (the app never sets it again once this script is recorded).

ALTER TABLE places_staging SET (parallel_workers = 0);
ALTER TABLE places_search SET (parallel_workers = 0);

INSERT INTO schema_migrations (version) VALUES ('0017') ON CONFLICT (version) DO NOTHING;
