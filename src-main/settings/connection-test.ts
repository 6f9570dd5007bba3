import pg from 'pg';
import type { TestConnectionResult } from '../../src-shared/contract/settings';
import { describeDatabaseUrl } from '../db/store';
import { errorSummary } from '../error-summary';

/** A well-known place id: a details request asking only for `id` is Google's free SKU. */
export const PROBE_PLACE_ID = 'ChIJN1t_tDeuEmsRUsoyG83frY4';

/** Takes every secret (and its URL-encoded form) out of a sentence. */
function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets.filter((s) => s.length >= 3)) {
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join('•••');
  }
  return out;
}

function credentialsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [url, decodeURIComponent(u.password), u.password].filter(Boolean);
  } catch {
    return [url];
  }
}

/** Connects and runs SELECT 1 within the timeout; the answer names the server, never the password. */
export async function testPostgres(url: string, timeoutMs: number): Promise<TestConnectionResult> {
  const where = describeDatabaseUrl(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A connection dropped later must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT 1 AS one, version() AS version');
    const version = /^PostgreSQL (\S+)/.exec(result.rows[0]?.version ?? '')?.[1];
    return {
      ok: true,
      message: `Connected to ${where}${version ? ` (PostgreSQL ${version})` : ''}.`,
    };
  } catch (error) {
    const { message, code } = errorSummary(error);
    const reason = scrub(message || code || 'no answer', credentialsOf(url)).replace(/\.$/, '');
    return { ok: false, message: `Could not connect to ${where}: ${reason}.` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One cheap Place Details request (field mask `id`) with the key; the key never in the answer. */
export async function testPlacesKey(
  baseUrl: string,
  apiKey: string,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<TestConnectionResult> {
  const url = `${baseUrl.replace(/\/+$/, '')}/v1/places/${PROBE_PLACE_ID}`;
  let status: number;
  let body = '';
  try {
    const res = await fetchImpl(url, {
      headers: { 'X-Goog-Api-Key': apiKey, 'X-Goog-FieldMask': 'id', Accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    body = await res.text().catch(() => '');
  } catch (error) {
    const { message } = errorSummary(error);
    const reason = /aborted|timeout/i.test(message)
      ? `no answer within ${timeoutMs / 1000} s`
      : message;
    return {
      ok: false,
      message: `Could not reach the Places API at ${baseUrl}: ${scrub(reason, [apiKey])}.`,
    };
  }
  if (status >= 200 && status < 300)
    return { ok: true, message: 'The Places API accepted the key.' };
  if (status === 429) {
    return {
      ok: true,
      message:
        'The Places API accepted the key, but is limiting its requests right now (HTTP 429).',
    };
  }
  let detail = '';
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string')
      detail = `: ${scrub(parsed.error.message, [apiKey])}`;
  } catch {
    // Not Google's JSON: the status says enough.
  }
  detail = detail.replace(/\.$/, '');
  if (status === 400 || status === 401 || status === 403) {
    return { ok: false, message: `The Places API refused the key (HTTP ${status})${detail}.` };
  }
  return { ok: false, message: `The Places API answered HTTP ${status}${detail}.` };
}
