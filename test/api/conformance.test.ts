import { exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contract, type OperationName } from '../../src-shared/contract';
import { PLACE_STATUSES } from '../../src-shared/domain';
import { isErrorBody } from '../../src-shared/errors';
import { startBackend, type Backend } from '../../src-main/backend';
import { loadSettings } from '../../src-main/config';
import type { Store } from '../../src-main/db/store';
import { sign, nowSeconds, unsignedToken } from '../../src-main/auth/test-support';
import { readPlaces } from '../support/places';
import { createTestStore, STORE_KINDS, type TestStoreHandle } from '../support/stores';
import { dispatcherTransport, httpTransport, type Transport } from '../support/transports';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const ISSUER = 'https://id.example.test';
const AUDIENCE = 'staging-editor';
const secretKey = new TextEncoder().encode(SECRET);
const IDS = ['p-1', 'p-2', 'p-3'];

interface Case {
  name: string;
  op: OperationName;
  input: unknown;
  token: () => Promise<string | undefined>;
  status: number;
  type?: string;
  detail?: RegExp;
  field?: string;
  /** Which backend verifies: the HS256 one (default) or the RSA public-key one. */
  via?: 'hs' | 'pk';
}

let rsa: { publicKey: CryptoKey; privateKey: CryptoKey; pem: string };

const good =
  (claims: Record<string, unknown> = {}) =>
  () =>
    sign(secretKey, 'HS256', { iss: ISSUER, aud: AUDIENCE, sub: 'reviewer-9', ...claims });
const update = (status: unknown = 'Selected', ids: unknown = IDS) => ({ place_ids: ids, status });

const authCases: Case[] = [
  { name: 'valid HS256', op: 'updateStatus', input: update(), token: good(), status: 200 },
  {
    name: 'valid RS256 by public key',
    op: 'updateStatus',
    input: update(),
    token: () => sign(rsa.privateKey, 'RS256', { sub: 'reviewer-9' }),
    status: 200,
    via: 'pk',
  },
  {
    name: 'no token',
    op: 'updateStatus',
    input: update(),
    token: async () => undefined,
    status: 401,
    type: 'unauthorized',
  },
  {
    name: 'expired',
    op: 'updateStatus',
    input: update(),
    token: good({ exp: nowSeconds() - 120 }),
    status: 401,
    detail: /expired/i,
  },
  {
    name: 'nbf in the future',
    op: 'updateStatus',
    input: update(),
    token: good({ nbf: nowSeconds() + 600 }),
    status: 401,
  },
  {
    name: 'bad signature',
    op: 'updateStatus',
    input: update(),
    token: () =>
      sign(new TextEncoder().encode(SECRET + 'x'), 'HS256', { iss: ISSUER, aud: AUDIENCE }),
    status: 401,
  },
  {
    name: 'alg none',
    op: 'updateStatus',
    input: update(),
    token: async () => unsignedToken({ iss: ISSUER, aud: AUDIENCE }),
    status: 401,
  },
  {
    name: 'HS256 signed with the RSA public key as secret',
    op: 'updateStatus',
    input: update(),
    token: () => sign(new TextEncoder().encode(rsa.pem), 'HS256', { sub: 'attacker' }),
    status: 401,
    via: 'pk',
  },
  {
    name: 'wrong issuer',
    op: 'updateStatus',
    input: update(),
    token: good({ iss: 'https://evil.example' }),
    status: 401,
  },
  {
    name: 'wrong audience',
    op: 'updateStatus',
    input: update(),
    token: good({ aud: 'someone-else' }),
    status: 401,
  },
  { name: 'no sub', op: 'updateStatus', input: update(), token: good({ sub: null }), status: 401 },
  { name: 'no exp', op: 'updateStatus', input: update(), token: good({ exp: null }), status: 401 },
  {
    name: 'garbage',
    op: 'updateStatus',
    input: update(),
    token: async () => 'not.a.jwt',
    status: 401,
  },
  {
    name: 'over 8 KiB',
    op: 'updateStatus',
    input: update(),
    token: good({ pad: 'x'.repeat(9000) }),
    status: 401,
  },
  {
    name: 'bad token on a read',
    op: 'listPlaces',
    input: {},
    token: async () => 'garbage',
    status: 401,
  },
];

const payloadCases: Case[] = [
  {
    name: 'unknown status',
    op: 'updateStatus',
    input: update('Done'),
    token: good(),
    status: 422,
    field: 'status',
    detail: new RegExp(PLACE_STATUSES.map((s) => `"${s}"`).join(', ')),
  },
  {
    name: '"selected" in lower case',
    op: 'updateStatus',
    input: update('selected'),
    token: good(),
    status: 422,
    field: 'status',
  },
  {
    name: 'empty place_ids',
    op: 'updateStatus',
    input: update('Selected', []),
    token: good(),
    status: 422,
    field: 'place_ids',
  },
  {
    name: 'non-string ids',
    op: 'updateStatus',
    input: update('Selected', [1, 2]),
    token: good(),
    status: 422,
    field: 'place_ids.0',
  },
  {
    name: 'an empty string id',
    op: 'updateStatus',
    input: update('Selected', ['p-1', '']),
    token: good(),
    status: 422,
    field: 'place_ids.1',
  },
  {
    name: '10,001 ids',
    op: 'updateStatus',
    input: update(
      'Selected',
      Array.from({ length: 10_001 }, (_, i) => `id-${i}`),
    ),
    token: good(),
    status: 422,
    field: 'place_ids',
    detail: /filter form/,
  },
  {
    name: 'status of the wrong type',
    op: 'updateStatus',
    input: update(5),
    token: good(),
    status: 422,
    field: 'status',
  },
  {
    name: 'place_ids as a string',
    op: 'updateStatus',
    input: update('Selected', 'p-1'),
    token: good(),
    status: 422,
    field: 'place_ids',
  },
  {
    name: 'both ids and filter',
    op: 'updateStatus',
    input: { ...update(), filter: {} },
    token: good(),
    status: 422,
    field: 'place_ids',
  },
  {
    name: 'neither ids nor filter',
    op: 'updateStatus',
    input: { status: 'New' },
    token: good(),
    status: 422,
    field: 'place_ids',
  },
  {
    name: 'a bad filter status',
    op: 'updateStatus',
    input: { filter: { status: 'new' }, status: 'New' },
    token: good(),
    status: 422,
    field: 'filter.status',
  },
  {
    name: 'an unknown field',
    op: 'updateStatus',
    input: { ...update(), force: true },
    token: good(),
    status: 422,
  },
  { name: 'a JSON array body', op: 'updateStatus', input: [1, 2], token: good(), status: 422 },
  {
    name: 'page size 0',
    op: 'listPlaces',
    input: { size: 0 },
    token: good(),
    status: 422,
    field: 'size',
  },
  {
    name: 'page size 1001',
    op: 'listPlaces',
    input: { size: 1001 },
    token: good(),
    status: 422,
    field: 'size',
  },
  {
    name: 'a sort on an unknown field',
    op: 'listPlaces',
    input: { sort: 'password' },
    token: good(),
    status: 422,
    field: 'sort',
  },
  {
    name: 'page not a number',
    op: 'listPlaces',
    input: { page: 'abc' },
    token: good(),
    status: 422,
    field: 'page',
  },
  {
    name: 'a keyset cursor on page 1',
    op: 'listPlaces',
    input: { page: 1, after: 'ChIJ-somewhere' },
    token: good(),
    status: 422,
    field: 'after',
  },
  {
    name: 'a keyset cursor of 256 characters',
    op: 'listPlaces',
    input: { page: 2, after: 'x'.repeat(256) },
    token: good(),
    status: 422,
    field: 'after',
  },
  {
    name: 'a keyset cursor with a NUL',
    op: 'listPlaces',
    input: { page: 2, after: 'a\u0000b' },
    token: good(),
    status: 422,
    field: 'after',
  },
  {
    name: 'queue-deep-scan without ids',
    op: 'queueDeepScan',
    input: { place_ids: [] },
    token: good(),
    status: 422,
    field: 'place_ids',
  },
  {
    name: 'an unknown place',
    op: 'getPlace',
    input: { place_id: 'nope' },
    token: good(),
    status: 404,
    type: 'not_found',
  },
];

describe.each(STORE_KINDS)('the v3 API on %s', (kind) => {
  let handle: TestStoreHandle;
  let store: Store;
  const backends: Backend[] = [];
  const transports: Record<'hs' | 'pk', Transport[]> = { hs: [], pk: [] };

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    rsa = { ...pair, pem: await exportSPKI(pair.publicKey) };
    handle = await createTestStore(kind);
    store = await handle.open();
    const hs = await startBackend(
      loadSettings({
        ...handle.env,
        JWT_SECRET: SECRET,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      }),
    );
    const pk = await startBackend(loadSettings({ ...handle.env, JWT_PUBLIC_KEY: rsa.pem }));
    backends.push(hs, pk);
    transports.hs.push(dispatcherTransport(hs), await httpTransport(hs));
    transports.pk.push(dispatcherTransport(pk), await httpTransport(pk));
    await hs.places.insertPlaces(IDS.map((id) => ({ place_id: id, name: `Place ${id}` })));
  });
  afterAll(async () => {
    for (const t of [...transports.hs, ...transports.pk]) await t.close();
    for (const b of backends) await b.close();
    await handle.dispose();
  });

  for (const c of [...authCases, ...payloadCases]) {
    for (const transportName of ['dispatcher', 'http'] as const) {
      test(`${c.name} via ${transportName}: ${c.status}`, async () => {
        // Start each case from the same rows, so "nothing written" is checkable.
        await backends[0]!.places.updateStatus({ place_ids: IDS, status: 'New' }, 'setup');
        const before = await readPlaces(store, IDS);
        const transport = transports[c.via ?? 'hs'].find((t) => t.name === transportName)!;
        const reply = await transport.call(c.op, c.input, await c.token());
        expect(reply.status, JSON.stringify(reply.body)).toBe(c.status);
        const after = await readPlaces(store, IDS);
        if (c.status >= 400) {
          expect(isErrorBody(reply.body), JSON.stringify(reply.body)).toBe(true);
          const body = reply.body as { type: string; detail: string; issues?: { path: string }[] };
          if (c.type) expect(body.type).toBe(c.type);
          if (c.status === 422) expect(body.type).toBe('validation_error');
          if (c.detail) expect(body.detail).toMatch(c.detail);
          if (c.field) {
            expect(body.issues?.map((i) => i.path)).toContain(c.field);
            expect(body.detail).toContain(`"${c.field}"`);
          }
          expect(after).toEqual(before);
        } else if (c.op === 'updateStatus') {
          expect(contract.updateStatus.output.parse(reply.body).updated_count).toBe(3);
          expect(
            [...after.values()].map((r) => [r.status, r.deep_scan_status, r.updated_by]),
          ).toEqual(IDS.map(() => ['Selected', 'Queued', 'reviewer-9']));
        }
      });
    }
  }

  test('both transports give identical bodies for the same reads', async () => {
    const token = await good()();
    for (const [op, input] of [
      ['listPlaces', { size: 2, sort: 'business_name:desc' }],
      ['getPlace', { place_id: 'p-2' }],
      ['placesSummary', {}],
      ['health', {}],
    ] as const) {
      const [a, b] = await Promise.all(transports.hs.map((t) => t.call(op, input, token)));
      expect(a!.status).toBe(200);
      expect(b, op).toEqual(a);
      contract[op].output.parse(a!.body);
    }
  });

  describe('HTTP only', () => {
    const http = () =>
      transports.hs.find((t) => t.name === 'http') as Transport & { baseUrl: string };
    const put = async (body: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${http().baseUrl}/api/v3/places/staging/status`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await good()()}`,
          'content-type': 'application/json',
          ...headers,
        },
        body,
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };

    test('malformed JSON gets 400 in the error format', async () => {
      const reply = await put('{"place_ids": ["p-1"], "status": ');
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ status: 'error', type: 'bad_request' });
    });

    test('a huge body gets 413 in the error format and changes nothing', async () => {
      const before = await readPlaces(store, IDS);
      const reply = await put(
        JSON.stringify({ place_ids: IDS, status: 'Archived', pad: 'x'.repeat(5 * 1024 * 1024) }),
      );
      expect(reply.status).toBe(413);
      expect(reply.body).toMatchObject({ status: 'error', type: 'payload_too_large' });
      expect(await readPlaces(store, IDS)).toEqual(before);
    });

    test('a body that is not JSON gets a clear 400', async () => {
      const reply = await put('place_ids=p-1', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(reply.status).toBe(400);
      expect(isErrorBody(reply.body)).toBe(true);
    });

    test('health needs no token; unknown routes get the error format', async () => {
      const health = await fetch(`${http().baseUrl}/api/v3/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: kind });
      const missing = await fetch(`${http().baseUrl}/api/v3/nothing-here`);
      expect(missing.status).toBe(404);
      expect(isErrorBody(await missing.json())).toBe(true);
    });

    test('list items carry the v3 field names and ISO 8601 UTC dates', async () => {
      const reply = await http().call('listPlaces', { size: 1 }, await good()());
      const body = contract.listPlaces.output.parse(reply.body);
      expect(Object.keys(body.items[0]!).sort()).toEqual(
        [
          'place_id',
          'business_name',
          'address',
          'category',
          'search_location',
          'latitude',
          'longitude',
          'rating',
          'reviews_count',
          'price_level',
          'status',
          'deep_scan_status',
          'deep_scan_error',
          'updated_at',
          'updated_by',
        ].sort(),
      );
      expect(body.items[0]!.updated_at).toMatch(/Z$/);
      expect({ total: body.total, page: body.page, size: body.size, pages: body.pages }).toEqual({
        total: 3,
        page: 1,
        size: 1,
        pages: 3,
      });
    });
  });
});
