import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLACE_DETAILS_FIELD_MASK } from '../../src-main/scan/places-api/client';
import { placeDetailsSchema } from '../../src-main/scan/places-api/schema';
import { defaultPlace, startFakePlacesApi, type FakePlacesApi } from './fake-places-api';

let fake: FakePlacesApi;

beforeAll(async () => {
  fake = await startFakePlacesApi({ apiKey: 'test-key-123' });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

async function get(
  placeId: string,
  headers: Record<string, string> = {
    'X-Goog-Api-Key': 'test-key-123',
    'X-Goog-FieldMask': PLACE_DETAILS_FIELD_MASK,
  },
) {
  const res = await fetch(`${fake.baseUrl}/v1/places/${encodeURIComponent(placeId)}`, { headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown> };
}

describe('fake Places API', () => {
  it('listens on loopback and accepts its key', async () => {
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.apiKey).toBe('test-key-123');
    const { status, body } = await get('abc');
    expect(status).toBe(200);
    expect(body).toEqual(fake.responseFor('abc'));
    expect(placeDetailsSchema.safeParse(body).success).toBe(true);
  });

  it('consumes scripts in order, then answers the default 200', async () => {
    fake.script('s1', [503, 429, 'malformed_json', 404, 200]);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get('s1')).status);
    expect(statuses).toEqual([503, 429, 200, 404, 200, 200, 200]);
    expect(fake.callsFor('s1')).toBe(7);
  });

  it('counts calls per id, in total, and records their times', async () => {
    fake.setLatencyMs(0);
    await get('a');
    await get('a');
    await new Promise((r) => setTimeout(r, 25));
    await get('a');
    await get('b');
    expect(fake.callsFor('a')).toBe(3);
    expect(fake.callsFor('b')).toBe(1);
    expect(fake.callsFor('never')).toBe(0);
    expect(fake.totalCalls()).toBe(4);
    const times = fake.callTimes('a');
    expect(times).toHaveLength(3);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(20);
    expect(fake.callTimes('never')).toEqual([]);
  });

  it('a global status applies to every request until cleared, before scripts', async () => {
    fake.script('x', [404]);
    fake.setGlobalStatus(503);
    expect((await get('x')).status).toBe(503);
    expect((await get('y')).status).toBe(503);
    fake.setGlobalStatus(null);
    expect((await get('x')).status).toBe(404);
    expect((await get('x')).status).toBe(200);
  });

  it('answers errors in Google format, with Retry-After when set', async () => {
    fake.setRetryAfterSeconds(3);
    fake.script('e', [429, 404, 500]);
    const limited = await get('e');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body).toEqual({
      error: { code: 429, message: expect.any(String), status: 'RESOURCE_EXHAUSTED' },
    });
    expect((await get('e')).body).toEqual({
      error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
    });
    const internal = await get('e');
    expect(internal.body).toMatchObject({ error: { code: 500, status: 'INTERNAL' } });
    expect(internal.headers.get('retry-after')).toBeNull();
  });

  it('rejects a wrong key with 403, echoing the key like some Google errors do', async () => {
    const { status, body } = await get('abc', {
      'X-Goog-Api-Key': 'wrong-key',
      'X-Goog-FieldMask': '*',
    });
    expect(status).toBe(403);
    expect(body).toMatchObject({
      error: {
        code: 403,
        status: 'PERMISSION_DENIED',
        details: [{ reason: 'API_KEY_INVALID' }],
      },
    });
    expect(JSON.stringify(body)).toContain('wrong-key');
  });

  it('rejects a missing key (403) and a missing field mask (400)', async () => {
    const noKey = await get('abc', { 'X-Goog-FieldMask': '*' });
    expect(noKey.status).toBe(403);
    const noMask = await get('abc', { 'X-Goog-Api-Key': 'test-key-123' });
    expect(noMask.status).toBe(400);
    expect(noMask.body).toMatchObject({
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/FieldMask is a required/),
      },
    });
    expect(fake.callsFor('abc')).toBe(2);
  });

  it('applies the field mask like the API (nested paths, *, unknown paths -> 400)', async () => {
    const headers = (mask: string) => ({
      'X-Goog-Api-Key': 'test-key-123',
      'X-Goog-FieldMask': mask,
    });
    const narrow = await get(
      'abc',
      headers('id,displayName.text,regularOpeningHours.weekdayDescriptions'),
    );
    expect(narrow.body).toEqual({
      id: 'abc',
      displayName: { text: 'Ivy Salon' },
      regularOpeningHours: { weekdayDescriptions: expect.any(Array) },
    });
    const all = await get('abc', headers('*'));
    expect(all.body).toEqual(defaultPlace('abc'));
    const unknown = await get('abc', headers('id,notAField'));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { message: expect.stringMatching(/notAField/) } });
  });

  it('is deterministic per id and realistic', () => {
    expect(defaultPlace('same')).toEqual(defaultPlace('same'));
    expect(defaultPlace('one')).not.toEqual(defaultPlace('two'));
    for (let i = 0; i < 200; i++) {
      const place = placeDetailsSchema.parse(defaultPlace(`r${i}`));
      expect(place.regularOpeningHours?.weekdayDescriptions).toHaveLength(7);
      expect(place.displayName?.text).toMatch(/\w/);
      expect(place.addressComponents?.some((c) => c.types?.includes('country'))).toBe(true);
      expect(place.types?.[0]).toBe(place.primaryType);
      if (place.rating !== undefined) expect(place.rating).toBeGreaterThanOrEqual(3);
    }
    const row = fake.expectedRowFor('abc');
    expect(row.place_id).toBe('abc');
    expect(row.business_name).toBe('Ivy Salon');
  });

  it('applies latency, and can drop the connection', async () => {
    fake.setLatencyMs(80);
    const started = Date.now();
    expect((await get('slow')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    fake.setLatencyMs(0);
    fake.script('drop', ['connection_reset']);
    await expect(get('drop')).rejects.toThrow();
    expect((await get('drop')).status).toBe(200);
  });

  it('serves 1000 concurrent requests', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `bulk-${i}`);
    const statuses = await Promise.all(ids.map(async (id) => (await get(id)).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(fake.totalCalls()).toBe(1000);
  });

  it('reset clears counters, scripts and the global status', async () => {
    fake.script('r', [500]);
    fake.setGlobalStatus(503);
    await get('q');
    fake.reset();
    expect(fake.totalCalls()).toBe(0);
    expect(fake.callsFor('q')).toBe(0);
    expect((await get('r')).status).toBe(200);
  });
});
