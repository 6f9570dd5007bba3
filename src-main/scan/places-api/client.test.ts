import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlacesApi, type FakePlacesApi } from '../../../test/support/fake-places-api';
import {
  PLACE_DETAILS_FIELD_MASK,
  PlacesApiError,
  createPlacesClient,
  parseRetryAfter,
  redactSecret,
} from './client';
import { mapPlaceToLocalBusiness } from './map-to-local-business';

let fake: FakePlacesApi;

beforeAll(async () => {
  fake = await startFakePlacesApi();
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
});

const client = (overrides: { apiKey?: string; timeoutMs?: number; fieldMask?: string } = {}) =>
  createPlacesClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, ...overrides });

async function failure(promise: Promise<unknown>): Promise<PlacesApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(PlacesApiError);
    return err as PlacesApiError;
  }
  throw new Error('expected the call to fail');
}

/** Every place a secret could hide in an error. */
function everythingAbout(err: PlacesApiError): string {
  return [
    err.message,
    err.stack ?? '',
    String(err.cause ?? ''),
    inspect(err, { depth: 5 }),
    JSON.stringify(err),
    JSON.stringify(Object.getOwnPropertyNames(err).map((k) => (err as never)[k])),
  ].join('\n');
}

describe('createPlacesClient: success', () => {
  it('fetches a place and maps every column (a US place)', async () => {
    const details = await client().fetchPlaceDetails('abc');
    const row = mapPlaceToLocalBusiness('abc', details);
    expect(row).toEqual({
      place_id: 'abc',
      business_name: 'Ivy Salon',
      full_address: '2207 S Lamar Blvd, Austin, TX 78701, USA',
      street_address: '2207 S Lamar Blvd',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
      country: 'US',
      phone: '+1 512-555-0151',
      website_url: 'https://ivy-salon.example.com/',
      main_category: 'Hair Salon',
      extra_categories: ['beauty_salon', 'hair_care', 'point_of_interest', 'establishment'],
      rating: 3,
      reviews_count: 22,
      price_text: null,
      business_status: 'OPERATIONAL',
      monday_hours: '9:00\u202fAM\u2009–\u20098:00\u202fPM',
      tuesday_hours: '9:00\u202fAM\u2009–\u20098:00\u202fPM',
      wednesday_hours: '9:00\u202fAM\u2009–\u20098:00\u202fPM',
      thursday_hours: '9:00\u202fAM\u2009–\u20098:00\u202fPM',
      friday_hours: '9:00\u202fAM\u2009–\u20098:00\u202fPM',
      saturday_hours: '10:00\u202fAM\u2009–\u20096:00\u202fPM',
      sunday_hours: 'Closed',
      timezone: 'America/Chicago',
      latitude: 30.2179065,
      longitude: -97.7015946,
      additional_json: fake.responseFor('abc'),
    });
    expect(fake.callsFor('abc')).toBe(1);
  });

  it('gives what the fake expects for many ids (all countries, with and without optional fields)', async () => {
    const c = client();
    const ids = Array.from({ length: 60 }, (_, i) => `ChIJ-test-${i}`);
    const rows = await Promise.all(
      ids.map(async (id) => mapPlaceToLocalBusiness(id, await c.fetchPlaceDetails(id))),
    );
    rows.forEach((row, i) => expect(row).toEqual(fake.expectedRowFor(ids[i]!)));
    expect(new Set(rows.map((r) => r.country))).toEqual(new Set(['US', 'GB', 'DE', 'IN']));
    expect(rows.every((r) => r.monday_hours !== null && r.sunday_hours !== null)).toBe(true);
  });

  it('sends the field mask (the response holds only those fields)', async () => {
    const details = await client().fetchPlaceDetails('abc');
    const expected = PLACE_DETAILS_FIELD_MASK.split(',').filter((f) => f !== 'priceLevel');
    expect(Object.keys(details).sort()).toEqual(expected.sort());
    const narrow = await client({ fieldMask: 'id,displayName.text' }).fetchPlaceDetails('abc');
    expect(narrow).toEqual({ id: 'abc', displayName: { text: 'Ivy Salon' } });
  });

  it('URL-encodes the place id in the path', async () => {
    const c = client();
    const ids = ['a/b c?d#e%f&g=h', 'café ü/..', '../../etc/passwd', 'plus+sign'];
    for (const id of ids) {
      const details = await c.fetchPlaceDetails(id);
      expect(details.id).toBe(id);
      expect(fake.callsFor(id)).toBe(1);
    }
    expect(fake.totalCalls()).toBe(ids.length);
  });

  it('rejects ids a URL cannot carry ("", ".", "..") without calling the API', async () => {
    for (const id of ['', '  ', '.', '..']) {
      const err = await failure(client().fetchPlaceDetails(id));
      expect(err.kind).toBe('permanent');
      expect(err.message).toMatch(/^invalid place id/);
    }
    expect(fake.totalCalls()).toBe(0);
  });
});

describe('createPlacesClient: error classification', () => {
  it('404 -> permanent', async () => {
    fake.script('gone', [404]);
    const err = await failure(client().fetchPlaceDetails('gone'));
    expect(err.kind).toBe('permanent');
    expect(err.httpStatus).toBe(404);
    expect(err.apiStatus).toBe('NOT_FOUND');
    expect(err.message).toContain('Requested entity was not found.');
  });

  it('400 -> permanent', async () => {
    fake.script('bad', [400]);
    const err = await failure(client().fetchPlaceDetails('bad'));
    expect(err.kind).toBe('permanent');
    expect(err.httpStatus).toBe(400);
    expect(err.apiStatus).toBe('INVALID_ARGUMENT');
  });

  it('a missing field mask (400 from the API) -> permanent', async () => {
    const err = await failure(client({ fieldMask: '' }).fetchPlaceDetails('abc'));
    expect(err.kind).toBe('permanent');
    expect(err.message).toContain('FieldMask is a required parameter');
  });

  it.each([500, 502, 503, 504, 408])('%i -> transient', async (status) => {
    fake.script('flaky', [status]);
    const err = await failure(client().fetchPlaceDetails('flaky'));
    expect(err.kind).toBe('transient');
    expect(err.httpStatus).toBe(status);
    expect(err.retryAfterSeconds).toBeNull();
  });

  it('429 with Retry-After -> rate_limited with the delay', async () => {
    fake.setRetryAfterSeconds(7);
    fake.script('busy', [429]);
    const err = await failure(client().fetchPlaceDetails('busy'));
    expect(err.kind).toBe('rate_limited');
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterSeconds).toBe(7);
    expect(err.apiStatus).toBe('RESOURCE_EXHAUSTED');
  });

  it('429 without Retry-After -> rate_limited, no delay', async () => {
    fake.script('busy', [429]);
    const err = await failure(client().fetchPlaceDetails('busy'));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterSeconds).toBeNull();
  });

  it('a wrong key (403, the API echoes the key) -> auth, and the key appears nowhere', async () => {
    const secret = 'sk-live-very-secret-key-4242';
    const err = await failure(client({ apiKey: secret }).fetchPlaceDetails('abc'));
    expect(err.kind).toBe('auth');
    expect(err.httpStatus).toBe(403);
    expect(err.message).toMatch(/^Places API key rejected \(HTTP 403\): API key not valid/);
    expect(err.message).toContain('[REDACTED]');
    expect(everythingAbout(err)).not.toContain(secret);
    expect(err.cause).toBeUndefined();
  });

  it.each([401, 403])('%i with the right key (echoed) -> auth, key redacted', async (status) => {
    fake.script('denied', [status]);
    const err = await failure(client().fetchPlaceDetails('denied'));
    expect(err.kind).toBe('auth');
    expect(err.httpStatus).toBe(status);
    expect(err.message.startsWith(`Places API key rejected (HTTP ${status}): `)).toBe(true);
    expect(everythingAbout(err)).not.toContain(fake.apiKey);
  });

  it('Google-shaped keys are redacted even when they are not ours', () => {
    const other = `AIza${'B'.repeat(35)}`;
    expect(redactSecret(`echo ${other} and mine:k3y and k%2Fy`, 'k/y')).toBe(
      'echo [REDACTED] and mine:k3y and [REDACTED]',
    );
  });

  it('a 400 saying the key is invalid (what Google sends) -> auth', async () => {
    const strict = await startFakePlacesApi({ invalidKeyStatus: 400 });
    try {
      const secret = 'another-secret-key-77';
      const err = await failure(
        createPlacesClient({ baseUrl: strict.baseUrl, apiKey: secret }).fetchPlaceDetails('abc'),
      );
      expect(err.kind).toBe('auth');
      expect(err.httpStatus).toBe(400);
      expect(everythingAbout(err)).not.toContain(secret);
    } finally {
      await strict.close();
    }
  });

  it('timeout (latency > timeoutMs) -> transient', async () => {
    fake.setLatencyMs(400);
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 60 }).fetchPlaceDetails('slow'));
    expect(err.kind).toBe('transient');
    expect(err.httpStatus).toBeNull();
    expect(err.message).toContain('timed out after 60 ms');
    expect(Date.now() - started).toBeLessThan(350);
  });

  it("the caller's abort -> transient (cancelled)", async () => {
    fake.setLatencyMs(400);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const err = await failure(client().fetchPlaceDetails('slow', controller.signal));
    expect(err.kind).toBe('transient');
    expect(err.message).toContain('cancelled');
  });

  it('an already-aborted signal -> transient (cancelled), and a long-lived signal keeps no listeners', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const err = await failure(client().fetchPlaceDetails('abc', aborted.signal));
    expect(err.kind).toBe('transient');
    expect(err.message).toContain('cancelled');

    const shutdown = new AbortController();
    let added = 0;
    let removed = 0;
    const add = shutdown.signal.addEventListener.bind(shutdown.signal);
    const remove = shutdown.signal.removeEventListener.bind(shutdown.signal);
    shutdown.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof add;
    shutdown.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    }) as typeof remove;
    const c = client();
    for (let i = 0; i < 5; i++) await c.fetchPlaceDetails(`ok-${i}`, shutdown.signal);
    fake.script('nope', [404]);
    await failure(c.fetchPlaceDetails('nope', shutdown.signal));
    expect(added).toBe(6);
    expect(removed).toBe(6);
  });

  it('a connection reset and a refused connection -> transient', async () => {
    fake.script('reset', ['connection_reset']);
    const reset = await failure(client().fetchPlaceDetails('reset'));
    expect(reset.kind).toBe('transient');
    expect(reset.httpStatus).toBeNull();

    const closed = await startFakePlacesApi();
    const deadUrl = closed.baseUrl;
    await closed.close();
    const refused = await failure(
      createPlacesClient({ baseUrl: deadUrl, apiKey: 'k' }).fetchPlaceDetails('x'),
    );
    expect(refused.kind).toBe('transient');
    expect(refused.message).toContain('network error');
  });

  it('malformed JSON in a 200 -> permanent', async () => {
    fake.script('broken', ['malformed_json']);
    const err = await failure(client().fetchPlaceDetails('broken'));
    expect(err.kind).toBe('permanent');
    expect(err.httpStatus).toBe(200);
    expect(err.message).toMatch(/^Places API unexpected response: body is not valid JSON/);
  });

  it('a 200 that is not a Place (schema mismatch) -> permanent, naming the fields', async () => {
    fake.script('odd', ['schema_mismatch']);
    const err = await failure(client().fetchPlaceDetails('odd'));
    expect(err.kind).toBe('permanent');
    expect(err.message).toMatch(/^Places API unexpected response: /);
    expect(err.message).toContain('rating');
    expect(err.message).toContain('userRatingCount');
  });

  it('never follows a redirect (the key header must not travel) -> permanent', async () => {
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `${fake.baseUrl}/v1/places/abc` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirector.address() as AddressInfo;
      const err = await failure(
        createPlacesClient({
          baseUrl: `http://127.0.0.1:${port}`,
          apiKey: fake.apiKey,
        }).fetchPlaceDetails('abc'),
      );
      expect(err.kind).toBe('permanent');
      expect(err.httpStatus).toBe(302);
      expect(fake.totalCalls()).toBe(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise((resolve) => redirector.close(resolve));
    }
  });

  it('rejects bad options without echoing the key', () => {
    expect(() => createPlacesClient({ baseUrl: fake.baseUrl, apiKey: ' ' })).toThrow(
      'Places API key is not configured',
    );
    expect(() => createPlacesClient({ baseUrl: 'not a url s3cr3t', apiKey: 's3cr3t' })).toThrow(
      /not a valid URL: not a url \[REDACTED\]$/,
    );
    expect(() => createPlacesClient({ baseUrl: fake.baseUrl, apiKey: 'k', timeoutMs: 0 })).toThrow(
      /timeout/,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:12 GMT', now)).toBe(12);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
