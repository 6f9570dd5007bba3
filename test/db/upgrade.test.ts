import { describe, expect, test } from 'vitest';
import { listPlacesInput } from '../../src-shared/contract';
import { DEEP_SCAN_STATUSES, PLACE_STATUSES } from '../../src-shared/domain';
import { placeSearchText } from '../../src-shared/search-fold';
import { migrateStore } from '../../src-main/db/store';
import { readMigrationScripts } from '../../src-main/db/sql-dir';
import { createPlacesService, placesRepositoryFor } from '../../src-main/places/service';
import { createSqlitePlacesRepository } from '../../src-main/places/sqlite-repository';
import { createTestStore, STORE_KINDS, type StoreKind } from '../support/stores';
import { createStoreAt, rawStore, shippedVersions, type RawStore } from './stores-at-version';

/**
 * A populated database upgraded through every later script in sql/ by the app's own runner, from
 * every shipped version but the last (so a script added later is covered without touching this
 * file): the data survives, search works on the old rows, and the schema is the same as a fresh
 * database's.
 */

const NAMES = [
  'Crème & Crumb Pâtisserie',
  'Zoë’s Café',
  'Bäckerei Großmann',
  'Łódź Pierogi',
  'Phở Hòa',
  'Joe’s Plumbing & Heating',
  'Ærø Dental',
  'Niño Tacos',
];

interface Fixture {
  places: number;
  businesses: number;
}

/** Realistic rows in the columns of sql/0001: every status with every scan state. */
async function fill(raw: RawStore): Promise<Fixture> {
  const pg = raw.kind === 'postgres';
  const p = (i: number) => (pg ? `$${i}` : '?');
  const ts = (iso: string) => (pg ? iso : Date.parse(iso));
  const json = (value: unknown) => JSON.stringify(value);
  const scanStates = [null, ...DEEP_SCAN_STATUSES];
  let n = 0;
  let businesses = 0;
  for (const status of PLACE_STATUSES) {
    for (const scan of scanStates) {
      n++;
      const placeId = `ChIJupgrade${String(n).padStart(12, '0')}`;
      const name = `${NAMES[n % NAMES.length]} ${n}`;
      const columns = {
        place_id: placeId,
        name,
        formatted_address: `${100 + n} Main St, Austin, TX 787${String(n).padStart(2, '0')}, USA`,
        business_type: n % 3 ? 'cafe' : 'bakery',
        latitude: 30.2 + n / 1000,
        longitude: -97.7 - n / 1000,
        vicinity: `${100 + n} Main St, Austin`,
        rating: n % 4 ? 3.5 + (n % 3) / 2 : null,
        user_ratings_total: n % 4 ? n * 17 : null,
        price_level: n % 5 ? (n % 4) + 1 : null,
        search_query: 'coffee shops in Austin',
        search_location: 'Austin, TX',
        raw_data: json({ place_id: placeId, types: ['cafe', 'food'], note: 'ünïcode' }),
        notes: n % 2 ? 'called twice, ask for Zoë' : null,
        status,
        deep_scan_status: scan,
        deep_scan_error: scan === 'Error' ? 'HTTP 404: place not found' : null,
        deep_scan_attempts: scan === 'Error' ? 5 : scan === 'Processing' ? 1 : 0,
        deep_scan_queued_at: scan ? ts('2026-11-30T09:00:00.000Z') : null,
        deep_scan_next_attempt_at: scan === 'Queued' ? ts('2026-11-30T09:05:00.000Z') : null,
        deep_scan_claim_token: scan === 'Processing' ? `claim-${n}` : null,
        deep_scan_claimed_by: scan === 'Processing' ? 'worker-a' : null,
        deep_scan_lease_expires_at: scan === 'Processing' ? ts('2026-11-30T09:10:00.000Z') : null,
        deep_scan_completed_at: scan === 'Completed' ? ts('2026-11-30T09:02:00.000Z') : null,
        created_at: ts('2026-11-01T08:00:00.000Z'),
        updated_at: ts(`2026-11-${String((n % 28) + 1).padStart(2, '0')}T12:00:00.000Z`),
        updated_by: status === 'New' ? null : `reviewer-${n % 3}`,
      };
      const names = Object.keys(columns);
      await raw.query(
        `INSERT INTO places_staging (${names.join(', ')}) VALUES (${names.map((_, i) => p(i + 1)).join(', ')})`,
        Object.values(columns),
      );
      if (scan === 'Completed') {
        businesses++;
        await raw.query(
          `INSERT INTO local_businesses (place_id, business_name, full_address, city, state, zip, country, phone,
             website_url, main_category, extra_categories, rating, reviews_count, price_text, business_status,
             monday_hours, sunday_hours, timezone, latitude, longitude, additional_json)
           VALUES (${Array.from({ length: 21 }, (_, i) => p(i + 1)).join(', ')})`,
          [
            placeId,
            name,
            columns.formatted_address,
            'Austin',
            'TX',
            '78701',
            'US',
            '+1 512-555-0100',
            'https://example.com/',
            'Cafe',
            json(['cafe', 'bakery']),
            4.5,
            120,
            '$$',
            'OPERATIONAL',
            '7:00 AM – 6:00 PM',
            'Closed',
            'UTC-06:00',
            30.27,
            -97.74,
            json({ displayName: { text: name } }),
          ],
        );
      }
    }
  }
  return { places: n, businesses };
}

/**
 * The sync state a machine may hold when it is upgraded, in every sync table its version has:
 * the ledger of pushed decisions (0006), the replica's pull position and the server versions set
 * aside for places with a local decision (0007), and the outbox's unsent, sent and answered
 * decisions (0008; columns of 0008 only, so later scripts are checked against them too). Later
 * scripts must keep all of it: an upgrade that lost a pending decision would lose it for good.
 */
async function fillSync(raw: RawStore): Promise<string[]> {
  const pg = raw.kind === 'postgres';
  const tables = new Set(
    (pg
      ? await raw.query<{ name: string }>(
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
        )
      : await raw.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    ).map((r) => r.name),
  );
  const p = (i: number) => (pg ? `$${i}` : '?');
  const insert = (table: string, row: Record<string, unknown>) =>
    raw.query(
      `INSERT INTO ${table} (${Object.keys(row).join(', ')})
       VALUES (${Object.keys(row)
         .map((_, i) => p(i + 1))
         .join(', ')})`,
      Object.values(row),
    );
  const place = (n: number) => `ChIJupgrade${String(n).padStart(12, '0')}`;
  const filled: string[] = [];
  if (tables.has('applied_mutations')) {
    const result = { mutation_id: '0193a1b2-0000-7000-8000-000000000001', outcome: 'applied' };
    await insert('applied_mutations', {
      mutation_id: result.mutation_id,
      place_id: place(1),
      user_id: 'reviewer-1',
      target_status: 'New',
      base_revision: 0,
      outcome: 'applied',
      result: JSON.stringify(result),
      applied_at: pg ? '2026-11-30T10:00:00.000Z' : Date.parse('2026-11-30T10:00:00.000Z'),
    });
    filled.push('applied_mutations');
  }
  if (pg) return filled;
  if (tables.has('sync_state')) {
    await insert('sync_state', {
      name: 'pull',
      cursor: '7421',
      pass_target: '7500',
      pass_limit: '7510',
      pass_after_xid: '7450',
      pass_after_place_id: place(3),
      locations: JSON.stringify(['Austin, TX']),
      last_pulled_at: Date.parse('2026-11-30T10:00:00.000Z'),
    });
    await insert('sync_server_places', {
      place_id: place(2),
      change_xid: '7460',
      place: JSON.stringify({ place_id: place(2), status: 'Archived', status_revision: 4 }),
      pulled_at: Date.parse('2026-11-30T10:01:00.000Z'),
    });
    await insert('sync_server_places', {
      place_id: place(4),
      change_xid: '7461',
      place: null,
      pulled_at: Date.parse('2026-11-30T10:01:00.000Z'),
    });
    filled.push('sync_state', 'sync_server_places');
  }
  if (tables.has('sync_outbox')) {
    const states = ['pending', 'sent', 'synced', 'conflict', 'rejected', 'pending'];
    for (const [i, state] of states.entries()) {
      await insert('sync_outbox', {
        mutation_id: `0193a1b2-0000-7000-8000-0000000001${String(i).padStart(2, '0')}`,
        seq: i + 1,
        place_id: place(i === 5 ? 1 : i + 2),
        target_status: 'Maybe',
        base_revision: i,
        base_status: 'New',
        user_id: 'reviewer-1',
        decided_at: Date.parse('2026-11-30T09:30:00.000Z') + i,
        state,
        result: state === 'pending' || state === 'sent' ? null : JSON.stringify({ outcome: state }),
        sent_at: state === 'pending' ? null : Date.parse('2026-11-30T09:40:00.000Z'),
      });
    }
    filled.push('sync_outbox');
  }
  return filled;
}

/**
 * The changes to existing rows that a script makes on purpose, by the version that makes them:
 * applied to the rows before the upgrade, they give the rows after it.
 */
const INTENDED_DATA_CHANGES: Record<
  string,
  (
    table: string,
    row: Record<string, unknown>,
    kind: StoreKind,
    before: Record<string, Record<string, unknown>[]>,
  ) => void
> = {
  // 0005: only Selected places are scanned; a place queued with another status leaves the queue.
  '0005': (table, row) => {
    if (
      table === 'places_staging' &&
      row.deep_scan_status === 'Queued' &&
      row.status !== 'Selected'
    ) {
      row.deep_scan_status = null;
      row.deep_scan_queued_at = null;
      row.deep_scan_next_attempt_at = null;
    }
  },
  // 0019 (PostgreSQL): a place left Processing becomes Queued with its claim in a lease row
  // (checked on its own below); the attempt under way counts again when the lease ends.
  // The same UPDATE moves those places' counts from Processing to Queued (place_counts, compared
  // as sums) and marks them changed for pulls (sync_changes: a new change_xid).
  '0019': (table, row, kind, before) => {
    if (kind !== 'postgres') return;
    if (table === 'place_counts' && row.deep_scan_status === 'Processing') {
      row.deep_scan_status = 'Queued';
    }
    if (
      table === 'sync_changes' &&
      before.places_staging!.some(
        (p) => p.place_id === row.place_id && p.deep_scan_status === 'Processing',
      )
    ) {
      row.change_xid = expect.any(String);
    }
    if (table === 'places_staging' && row.deep_scan_status === 'Processing') {
      row.deep_scan_status = 'Queued';
      row.deep_scan_attempts = Math.max(0, (row.deep_scan_attempts as number) - 1);
      row.deep_scan_next_attempt_at ??= row.deep_scan_queued_at;
      row.deep_scan_claim_token = null;
      row.deep_scan_claimed_by = null;
      row.deep_scan_lease_expires_at = null;
    }
  },
};

/** place_counts rows as the count of each (status, deep_scan_status) pair, zeros left out. */
function countSums(rows: Record<string, unknown>[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const r of rows) {
    const key = `${String(r.status)}|${String(r.deep_scan_status)}`;
    sums.set(key, (sums.get(key) ?? 0) + Number(r.n));
  }
  return [...sums].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b));
}

/** Every row of every table but the ledger, as the driver returns them. */
async function snapshot(raw: RawStore): Promise<Record<string, Record<string, unknown>[]>> {
  const tables =
    raw.kind === 'postgres'
      ? await raw.query<{ name: string }>(
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        )
      : await raw.query<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
        );
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const { name } of tables) {
    if (name === 'schema_migrations') continue;
    const order = name === 'scan_control' ? 'name' : name === 'scan_workers' ? 'worker_id' : 1;
    out[name] = await raw.query(`SELECT * FROM ${name} ORDER BY ${order}`);
  }
  return out;
}

/** Columns, indexes, constraints, triggers and functions: what "the same schema" means. */
async function schemaOf(raw: RawStore): Promise<unknown> {
  if (raw.kind === 'sqlite') {
    // The DDL as SQLite keeps it, white space aside (the app creates schema_migrations itself on
    // an empty file, with its own layout).
    const objects = await raw.query<{ sql: string | null }>(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name",
    );
    return objects.map((o) => ({
      ...o,
      sql: o.sql?.replace(/\s+/g, ' ').replace(/ ?([(),]) ?/g, '$1'),
    }));
  }
  return {
    columns: await raw.query(
      `SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default,
              is_identity, identity_generation, is_generated, generation_expression
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
    ),
    indexes: await raw.query(
      "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
    ),
    constraints: await raw.query(
      `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    ),
    triggers: await raw.query(
      `SELECT tgrelid::regclass::text AS tbl, tgname, pg_get_triggerdef(oid) AS def
       FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`,
    ),
    functions: await raw.query(
      `SELECT proname, pg_get_function_identity_arguments(oid) AS args, md5(prosrc) AS src,
              provolatile, proisstrict
       FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2`,
    ),
    extensions: await raw.query('SELECT extname FROM pg_extension ORDER BY 1'),
    comments: await raw.query(
      `SELECT objoid::regclass::text AS tbl, objsubid, description FROM pg_description
       WHERE classoid = 'pg_class'::regclass ORDER BY 1, 2`,
    ),
  };
}

async function freshSchema(kind: StoreKind): Promise<unknown> {
  const handle = await createTestStore(kind);
  try {
    await migrateStore(handle.settings);
    const raw = rawStore(handle);
    try {
      return await schemaOf(raw);
    } finally {
      await raw.close();
    }
  } finally {
    await handle.dispose();
  }
}

describe.each(STORE_KINDS)('a populated %s database upgraded by the app', (kind) => {
  const versions = shippedVersions();
  let fresh: unknown;

  test('ships more than one script to upgrade through', () => {
    expect(versions.length).toBeGreaterThan(1);
    expect(readMigrationScripts(kind).map((s) => s.version)).toEqual(versions);
  });

  test.each(versions.slice(0, -1))('from %s through every later script', async (from) => {
    fresh ??= await freshSchema(kind);
    const { handle, raw } = await createStoreAt(kind, from);
    try {
      const fixture = await fill(raw);
      const sync = await fillSync(raw);
      if (kind === 'sqlite' && from >= '0007') expect(sync).toContain('sync_server_places');
      if (kind === 'sqlite' && from >= '0008') expect(sync).toContain('sync_outbox');
      const before = await snapshot(raw);
      await raw.close();

      const report = await migrateStore(handle.settings);
      expect(report.applied).toEqual(
        readMigrationScripts(kind)
          .filter((s) => s.version > from)
          .map((s) => s.file),
      );

      const after = rawStore(handle);
      try {
        // The data survived: every row of every table that was there, column for column (the
        // folded search text aside), and nothing else in those tables.
        const now = await snapshot(after);
        for (const [table, rows] of Object.entries(before)) {
          const kept = now[table]!.map((row) =>
            Object.fromEntries(
              Object.keys(rows[0] ?? row)
                .filter((c) => c !== 'search_text')
                .map((c) => [c, row[c]]),
            ),
          );
          const expected = rows.map((row) => {
            const want = Object.fromEntries(
              Object.entries(row).filter(([c]) => c !== 'search_text'),
            );
            for (const [version, change] of Object.entries(INTENDED_DATA_CHANGES))
              if (version > from) change(table, want, kind, before);
            return want;
          });
          if (table === 'place_counts') {
            // Deltas (sql/pg/0011): what must hold is each pair's sum, not the rows.
            expect(countSums(kept), table).toEqual(countSums(expected));
            continue;
          }
          expect(kept, table).toEqual(expected);
        }
        if (kind === 'postgres' && from < '0019') {
          // Each place that was Processing holds the same claim, now as a lease row.
          const processing = before.places_staging!.filter(
            (r) => r.deep_scan_status === 'Processing',
          );
          expect(processing.length).toBeGreaterThan(0);
          expect(now.deep_scan_leases!.map(({ claimed_at: _, ...lease }) => lease)).toEqual(
            processing.map((r) => ({
              place_row: r.id,
              claim_token: r.deep_scan_claim_token,
              claimed_by: r.deep_scan_claimed_by,
              attempt: r.deep_scan_attempts,
              expires_at: r.deep_scan_lease_expires_at,
            })),
          );
        }
        expect(now.places_staging).toHaveLength(fixture.places);
        expect(now.local_businesses).toHaveLength(fixture.businesses);

        // The schema is the one a fresh database gets.
        expect(await schemaOf(after)).toEqual(fresh);

        // What the later scripts added works on the old rows: search_text was folded for every
        // row, and renames and new rows are folded by the database.
        for (const row of now.places_staging!) {
          expect(row.search_text, String(row.name)).toBe(
            placeSearchText(row as Parameters<typeof placeSearchText>[0]),
          );
        }
        const store = await handle.open();
        const places = createPlacesService(placesRepositoryFor(store));
        // The places already there are counted (0011): the summary agrees with a GROUP BY.
        const byStatus = await after.query<{ status: string; n: number | string }>(
          'SELECT status, count(*) AS n FROM places_staging GROUP BY status',
        );
        const summary = await places.summary();
        expect(summary.total).toBe(fixture.places);
        for (const { status, n } of byStatus) {
          expect(summary.by_status[status as keyof typeof summary.by_status], status).toBe(
            Number(n),
          );
        }
        const search = async (q: string) =>
          (await places.list(listPlacesInput.parse({ q, size: 1000 }))).items
            .map((i) => i.place_id)
            .sort();
        expect(await search('lodz pierogi 3')).toEqual(['ChIJupgrade000000000003']);
        expect((await search('grossmann')).length).toBeGreaterThan(1);
        const p = kind === 'postgres' ? (i: number) => `$${i}` : () => '?';
        await after.query(`UPDATE places_staging SET name = ${p(1)} WHERE place_id = ${p(2)}`, [
          'Épicerie Fine',
          'ChIJupgrade000000000003',
        ]);
        await after.query(`INSERT INTO places_staging (place_id, name) VALUES (${p(1)}, ${p(2)})`, [
          'ChIJupgradeNew',
          'Épicerie du Marché',
        ]);
        expect(await search('epicerie')).toEqual(['ChIJupgrade000000000003', 'ChIJupgradeNew']);
        expect(await search('lodz pierogi 3')).toEqual([]);
        const scanned = await places.get(now.local_businesses![0]!.place_id as string);
        expect(scanned.local_business?.phone).toBe('+1 512-555-0100');

        // A replica's outbox works on the old rows: a decision is based on the row's revision.
        if (store.kind === 'sqlite') {
          const replica = createSqlitePlacesRepository(store.db, { outbox: true });
          await createPlacesService(replica).updateStatus(
            { place_ids: ['ChIJupgrade000000000003'], status: 'Archived' },
            'reviewer-1',
          );
          // From 0008 on, the machine already held a sent decision on this place (fillSync):
          // the new one waits behind it, based on it.
          expect(
            await after.query(
              'SELECT target_status, base_revision, base_status, state FROM sync_outbox WHERE place_id = ? ORDER BY seq',
              ['ChIJupgrade000000000003'],
            ),
          ).toEqual(
            from >= '0008'
              ? [
                  { target_status: 'Maybe', base_revision: 1, base_status: 'New', state: 'sent' },
                  {
                    target_status: 'Archived',
                    base_revision: 1,
                    base_status: 'Maybe',
                    state: 'pending',
                  },
                ]
              : [
                  {
                    target_status: 'Archived',
                    base_revision: 0,
                    base_status: 'New',
                    state: 'pending',
                  },
                ],
          );
        }
      } finally {
        await after.close();
      }
    } finally {
      await handle.dispose();
    }
  });
});
