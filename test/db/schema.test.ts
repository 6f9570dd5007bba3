import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import type {
  LocalBusinessRow,
  PlaceRow,
  SqliteLocalBusinessRow,
  SqlitePlaceRow,
} from '../../src-main/db/rows';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import { migrateStore, type PgStore, type SqliteStore } from '../../src-main/db/store';
import { SEARCH_TEXT_OBJECTS } from '../../src-main/db/search-fold-sql';
import { SEARCH_INDEX_OBJECTS } from '../../src-main/db/search-index';
import { readMigrationScripts } from '../../src-main/db/sql-dir';
import { PAGE_MARKS_OBJECTS } from '../../src-main/places/page-marks';
import { PLACE_COUNTS_OBJECTS } from '../../src-main/places/place-counts';
import { CHANGE_FEED_OBJECTS } from '../../src-main/sync/change-feed';
import { STATUS_REVISION_OBJECTS } from '../../src-main/sync/schema-objects';
import { createTestStore, type TestStoreHandle } from '../support/stores';

interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

test('the two dialects have the same row types', () => {
  expectTypeOf<PlaceRow>().toEqualTypeOf<SqlitePlaceRow>();
  expectTypeOf<LocalBusinessRow>().toEqualTypeOf<SqliteLocalBusinessRow>();
});

test('every dialect ships the same numbered scripts', () => {
  const versions = (d: 'postgres' | 'sqlite') => readMigrationScripts(d).map((s) => s.version);
  expect(versions('postgres')).toEqual(versions('sqlite'));
  expect(versions('postgres')[0]).toBe('0001');
});

describe('sql/pg scripts produce what the Drizzle schema expects', () => {
  let handle: TestStoreHandle;
  let store: PgStore;
  beforeAll(async () => {
    handle = await createTestStore('postgres');
    store = (await handle.open()) as PgStore;
  });
  afterAll(() => handle.dispose());

  for (const table of Object.values(pgSchema)) {
    const config = pgConfig(table);
    test(`${config.name}: columns, indexes and checks`, async () => {
      const { rows } = await store.pool.query<{
        column_name: string;
        data_type: string;
        is_nullable: string;
        column_default: string | null;
        is_identity: string;
      }>(
        'SELECT column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_name = $1',
        [config.name],
      );
      const actual: ColumnShape[] = rows.map((r) => ({
        name: r.column_name,
        type: r.data_type,
        notNull: r.is_nullable === 'NO',
        hasDefault: r.column_default !== null || r.is_identity === 'YES',
      }));
      const expected: ColumnShape[] = config.columns.map((c) => ({
        name: c.name,
        type: c.getSQLType(),
        notNull: c.notNull,
        hasDefault: c.hasDefault || c.generatedIdentity !== undefined,
      }));
      expect(actual.sort(byName)).toEqual(expected.sort(byName));

      const indexes = await store.pool.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
        [config.name],
      );
      expect(indexes.rows.map((r) => r.indexname).sort()).toEqual(
        config.indexes.map((i) => i.config.name).sort(),
      );
      const checks = await store.pool.query<{ conname: string }>(
        "SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'",
        [config.name],
      );
      expect(checks.rows.map((r) => r.conname).sort()).toEqual(
        config.checks.map((c) => c.name).sort(),
      );
    });
  }

  test('the triggers and functions the scripts create, and no others', async () => {
    const triggers = await store.pool.query<{ tgname: string }>(
      'SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname',
    );
    expect(triggers.rows.map((r) => r.tgname)).toEqual(
      [
        ...SEARCH_TEXT_OBJECTS.postgres.triggers,
        ...STATUS_REVISION_OBJECTS.postgres.triggers,
        ...CHANGE_FEED_OBJECTS.postgres.triggers,
        ...PLACE_COUNTS_OBJECTS.postgres.triggers,
        ...PAGE_MARKS_OBJECTS.postgres.triggers,
        ...SEARCH_INDEX_OBJECTS.postgres.triggers,
      ].sort(),
    );
    // Our own functions in public (not those of an extension such as pg_trgm).
    const functions = await store.pool.query<{ proname: string }>(
      `SELECT proname FROM pg_proc p WHERE pronamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
       ORDER BY proname`,
    );
    expect(functions.rows.map((r) => r.proname)).toEqual(
      [
        ...SEARCH_TEXT_OBJECTS.postgres.functions,
        ...STATUS_REVISION_OBJECTS.postgres.functions,
        ...CHANGE_FEED_OBJECTS.postgres.functions,
        ...PLACE_COUNTS_OBJECTS.postgres.functions,
        ...PAGE_MARKS_OBJECTS.postgres.functions,
        ...SEARCH_INDEX_OBJECTS.postgres.functions,
      ].sort(),
    );
  });

  test('the CHECK constraints refuse a bad status even by hand', async () => {
    await expect(
      store.pool.query(
        "INSERT INTO places_staging (place_id, name, status) VALUES ('x', 'X', 'selected')",
      ),
    ).rejects.toThrow(/places_staging_status_check/);
    await expect(
      store.pool.query(
        "INSERT INTO places_staging (place_id, name, deep_scan_status) VALUES ('x', 'X', 'Done')",
      ),
    ).rejects.toThrow(/places_staging_deep_scan_status_check/);
    const { rows } = await store.pool.query(
      "INSERT INTO places_staging (place_id, name) VALUES ('bare', 'Bare') RETURNING status, deep_scan_status",
    );
    expect(rows[0]).toEqual({ status: 'New', deep_scan_status: null });
  });

  test('migrating again applies nothing and each script is recorded once', async () => {
    const report = await migrateStore(handle.settings);
    expect(report.applied).toEqual([]);
    const { rows } = await store.pool.query(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(
      readMigrationScripts('postgres').map((s) => s.version),
    );
  });
});

describe('sql/sqlite scripts produce what the Drizzle schema expects', () => {
  let handle: TestStoreHandle;
  let store: SqliteStore;
  beforeAll(async () => {
    handle = await createTestStore('sqlite');
    store = (await handle.open()) as SqliteStore;
  });
  afterAll(() => handle.dispose());

  for (const table of Object.values(sqliteSchema)) {
    const config = sqliteConfig(table);
    test(`${config.name}: columns, indexes and checks`, () => {
      const rows = store.sqlite.prepare(`PRAGMA table_info(${config.name})`).all() as {
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }[];
      const actual: ColumnShape[] = rows.map((r) => ({
        name: r.name,
        type: r.type.toLowerCase(),
        notNull: r.notnull === 1 || r.pk === 1,
        hasDefault: r.dflt_value !== null || r.pk === 1,
      }));
      const expected: ColumnShape[] = config.columns.map((c) => ({
        name: c.name,
        type: c.getSQLType(),
        notNull: c.notNull || c.primary,
        hasDefault: c.hasDefault || c.primary,
      }));
      expect(actual.sort(byName)).toEqual(expected.sort(byName));
      const indexes = store.sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_autoindex%'",
        )
        .all(config.name) as { name: string }[];
      expect(indexes.map((r) => r.name).sort()).toEqual(
        config.indexes.map((i) => i.config.name).sort(),
      );
      const ddl = (
        store.sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(config.name) as {
          sql: string;
        }
      ).sql;
      for (const check of config.checks) expect(ddl).toContain(`CONSTRAINT ${check.name}`);
    });
  }

  test('the triggers the scripts create, and no others', () => {
    const triggers = store.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
      .all() as { name: string }[];
    expect(triggers.map((r) => r.name)).toEqual(
      [
        ...SEARCH_TEXT_OBJECTS.sqlite.triggers,
        ...SEARCH_INDEX_OBJECTS.sqlite.triggers,
        ...STATUS_REVISION_OBJECTS.sqlite.triggers,
        ...PLACE_COUNTS_OBJECTS.sqlite.triggers,
      ].sort(),
    );
  });

  test('the CHECK constraints refuse a bad status even by hand', () => {
    expect(() =>
      store.sqlite
        .prepare(
          "INSERT INTO places_staging (place_id, name, status) VALUES ('x', 'X', 'selected')",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
    const row = store.sqlite
      .prepare(
        "INSERT INTO places_staging (place_id, name) VALUES ('bare', 'Bare') RETURNING status, deep_scan_status",
      )
      .get();
    expect(row).toEqual({ status: 'New', deep_scan_status: null });
  });

  test('migrating again applies nothing and each script is recorded once', async () => {
    const report = await migrateStore(handle.settings);
    expect(report.applied).toEqual([]);
    const rows = store.sqlite
      .prepare('SELECT version FROM schema_migrations ORDER BY version')
      .all() as { version: string }[];
    expect(rows.map((r) => r.version)).toEqual(
      readMigrationScripts('sqlite').map((s) => s.version),
    );
  });
});
