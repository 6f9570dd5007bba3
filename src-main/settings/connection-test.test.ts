import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlacesApi, type FakePlacesApi } from '../../test/support/fake-places-api';
import { PG_ADMIN_URL } from '../../test/support/stores';
import { testPlacesKey, testPostgres } from './connection-test';

let places: FakePlacesApi;
beforeAll(async () => {
  places = await startFakePlacesApi();
});
afterAll(() => places.close());

describe('testPlacesKey', () => {
  it('says the key is accepted after one request', async () => {
    places.reset();
    expect(await testPlacesKey(places.baseUrl, places.apiKey, 2000)).toEqual({
      ok: true,
      message: 'The Places API accepted the key.',
    });
    expect(places.totalCalls()).toBe(1);
  });

  it('says a wrong key is refused, without echoing it', async () => {
    const result = await testPlacesKey(places.baseUrl, 'wrong-key-123456', 2000);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^The Places API refused the key \(HTTP 403\)/);
    expect(result.message).not.toContain('wrong-key-123456');
  });

  it('says when the API cannot be reached', async () => {
    const result = await testPlacesKey('http://127.0.0.1:9', places.apiKey, 2000);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not reach the Places API at http:\/\/127\.0\.0\.1:9: /);
  });
});

describe('testPostgres', () => {
  it('connects and names the server', async () => {
    const result = await testPostgres(PG_ADMIN_URL, 3000);
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(
      /^Connected to PostgreSQL 127\.0\.0\.1:5432\/postgres \(PostgreSQL \d/,
    );
  });

  it('says why it could not connect, without the password', async () => {
    const url = 'postgres://someone:hunter2-secret@127.0.0.1:9/nothing';
    const result = await testPostgres(url, 2000);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Could not connect to PostgreSQL 127\.0\.0\.1:9\/nothing: /);
    expect(result.message).not.toContain('hunter2');
  });
});
