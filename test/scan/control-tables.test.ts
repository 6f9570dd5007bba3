import { getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as pgSchema from '../../src-main/db/schema.pg';
import * as sqliteSchema from '../../src-main/db/schema.sqlite';
import type { Store } from '../../src-main/db/store';
import { rawQuery, storeFactory, type StoreFactory, type StoreKind } from './support/stores';

/** The scheduler's tables (sql/<dialect>/0002) and their Drizzle definitions agree. */

interface ColumnShape {
  name: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  hasDefault: boolean;
}

const TABLES = ['scan_control', 'scan_workers'] as const;
const tableObjects = {
  postgres: { scan_control: pgSchema.scanControl, scan_workers: pgSchema.scanWorkers },
  sqlite: { scan_control: sqliteSchema.scanControl, scan_workers: sqliteSchema.scanWorkers },
};

function fromDrizzle(kind: StoreKind, table: (typeof TABLES)[number]): ColumnShape[] {
  const config =
    kind === 'postgres'
      ? pgTableConfig(tableObjects.postgres[table])
      : sqliteTableConfig(tableObjects.sqlite[table]);
  return config.columns
    .map((c) => ({
      name: c.name,
      type: c.getSQLType(),
      notNull: c.notNull,
      primaryKey: c.primary,
      hasDefault: c.hasDefault,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function fromDatabase(store: Store, table: string): Promise<ColumnShape[]> {
  if (store.kind === 'postgres') {
    const rows = await rawQuery<{
      name: string;
      type: string;
      nullable: string;
      dflt: string | null;
      pk: boolean;
    }>(
      store,
      `SELECT c.column_name AS name, c.data_type AS type, c.is_nullable AS nullable,
              c.column_default AS dflt,
              EXISTS (SELECT 1 FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage k USING (constraint_name, table_name)
                WHERE tc.table_name = c.table_name AND tc.constraint_type = 'PRIMARY KEY'
                  AND k.column_name = c.column_name) AS pk
       FROM information_schema.columns c WHERE c.table_name = $1`,
      [table],
    );
    return rows
      .map((r) => ({
        name: r.name,
        type: r.type,
        notNull: r.nullable === 'NO',
        primaryKey: r.pk,
        hasDefault: r.dflt !== null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  const rows = await rawQuery<{
    name: string;
    type: string;
    notnull: number;
    dflt_value: string | null;
    pk: number;
  }>(store, `SELECT * FROM pragma_table_info('${table}')`);
  return rows
    .map((r) => ({
      name: r.name,
      type: r.type.toLowerCase(),
      notNull: r.notnull === 1,
      primaryKey: r.pk === 1,
      hasDefault: r.dflt_value !== null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe.each<StoreKind>(['postgres', 'sqlite'])('scheduler tables on %s', (kind) => {
  let stores: StoreFactory;
  let store: Store;
  beforeAll(async () => {
    stores = await storeFactory(kind);
    store = await stores.open();
  });
  afterAll(async () => {
    await stores.cleanup();
  });

  it.each(TABLES)('%s matches its Drizzle definition', async (table) => {
    expect(await fromDatabase(store, table)).toEqual(fromDrizzle(kind, table));
  });

  it('the migration created the control row and recorded itself', async () => {
    expect(await rawQuery(store, 'SELECT name FROM scan_control')).toEqual([{ name: 'deep_scan' }]);
    const versions = await rawQuery<{ version: string }>(
      store,
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(versions.map((v) => v.version)).toContain('0002');
  });
});
