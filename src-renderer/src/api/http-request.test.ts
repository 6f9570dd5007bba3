import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import { buildHttpRequest, readHttpResponse } from './http-request';

describe('HTTP mapping of the contract', () => {
  it('a GET puts the input in the query and sends the bearer token', () => {
    const { url, init } = buildHttpRequest(
      'listPlaces',
      {
        page: 2,
        size: 100,
        status: 'New',
        q: 'café & bar',
        sort: 'rating:desc',
        include_total: false,
        deep_scan_status: undefined,
      },
      'jwt',
    );
    expect(url).toBe(
      '/api/v3/places/staging?page=2&size=100&status=New&q=caf%C3%A9+%26+bar&sort=rating%3Adesc&include_total=false',
    );
    expect(init.method).toBe('GET');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer jwt');
    expect(init.body).toBeUndefined();
  });

  it('path parameters are substituted and encoded', () => {
    const { url } = buildHttpRequest('getPlace', { place_id: 'ChIJ/a b' }, null);
    expect(url).toBe('/api/v3/places/staging/ChIJ%2Fa%20b');
  });

  it('a PUT sends the input as JSON', () => {
    const { url, init } = buildHttpRequest(
      'updateStatus',
      { place_ids: ['a'], status: 'Selected' },
      'jwt',
    );
    expect(url).toBe('/api/v3/places/staging/status');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(init.body as string)).toEqual({ place_ids: ['a'], status: 'Selected' });
  });

  it('a non-2xx answer becomes the server error', () => {
    const body = JSON.stringify({
      status: 'error',
      type: 'unauthorized',
      detail: 'Token expired.',
    });
    expect(() => readHttpResponse(401, body)).toThrow(AppError);
    try {
      readHttpResponse(401, body);
    } catch (error) {
      expect((error as AppError).type).toBe('unauthorized');
      expect((error as AppError).detail).toBe('Token expired.');
    }
  });

  it('a non-2xx answer without the error format still gives a typed error', () => {
    try {
      readHttpResponse(502, '<html>Bad gateway</html>');
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).type).toBe('internal_error');
    }
  });

  it('a 2xx answer is the parsed body', () => {
    expect(readHttpResponse(200, '{"status":"ok"}')).toEqual({ status: 'ok' });
  });
});
