import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwksCache,
  type ExportedJWKSCache,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
  type LocalJWKSet,
} from 'jose';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';

/** The last key set the identity provider served, kept for when it can't be reached. */
export const JWKS_CACHE_FILE = 'jwks-cache.json';

export interface JwksOptions {
  /** Fetch timeout. */
  timeoutMs?: number;
  /** How long a fetched set is used before it is fetched again. */
  cacheMaxAgeMs?: number;
  /** An unknown `kid` refetches the set at most once per this period. */
  cooldownMs?: number;
  /** After a failed fetch, the last good set is used without trying again for this long. */
  retryAfterFailureMs?: number;
}

const DEFAULTS: Required<JwksOptions> = {
  timeoutMs: 5_000,
  cacheMaxAgeMs: 10 * 60_000,
  cooldownMs: 30_000,
  retryAfterFailureMs: 30_000,
};

/** Thrown when there is no key set at all: never fetched and nothing cached on disk. */
export class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

/** Errors that come from matching the token to the set, not from fetching the set. */
function isKeyMatchError(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

const savedSchema = z.object({
  url: z.string(),
  uat: z.number(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});

export function jwksCachePath(dataDir: string): string {
  return join(dataDir, JWKS_CACHE_FILE);
}

/** The saved set for this URL, or undefined (missing, damaged, or for another URL). */
async function readSaved(path: string, url: string): Promise<ExportedJWKSCache | undefined> {
  try {
    const saved = savedSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    if (saved.url !== url) return undefined;
    const jwks = saved.jwks as JSONWebKeySet;
    createLocalJWKSet(jwks); // validates the shape
    // A timestamp from the future (a changed clock) must not keep the set "fresh" forever.
    return { jwks, uat: saved.uat <= Date.now() ? saved.uat : 0 };
  } catch {
    return undefined;
  }
}

/**
 * A jose key resolver for `JWT_JWKS_URL`: jose's remote set (fetch timeout, cache max age,
 * refetch on an unknown `kid` at most once per cooldown) whose every successful fetch is also
 * written to `dataDir/jwks-cache.json`. When the endpoint can't be reached, the last good set
 * (from this process or from disk) verifies tokens instead.
 */
export async function createJwksKeyResolver(
  jwksUrl: string,
  dataDir: string,
  options: JwksOptions = {},
): Promise<JWTVerifyGetKey> {
  const opts = { ...DEFAULTS, ...options };
  const url = new URL(jwksUrl).href;
  const path = jwksCachePath(dataDir);
  const saved = await readSaved(path, url);

  // jose fills this object with {jwks, uat} after each successful fetch.
  const cache: JWKSCacheInput = saved ? { ...saved } : {};
  let persistedUat = saved?.uat;
  let lastGood: LocalJWKSet | undefined = saved ? createLocalJWKSet(saved.jwks) : undefined;
  let offlineUntil = 0;

  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: opts.timeoutMs,
    cacheMaxAge: opts.cacheMaxAgeMs,
    cooldownDuration: opts.cooldownMs,
    [jwksCache]: cache,
  });

  const markOffline = () => {
    offlineUntil = Date.now() + opts.retryAfterFailureMs;
  };

  /** Keeps the set jose just fetched: in memory as the fallback, and on disk. */
  const remember = async () => {
    if (!('uat' in cache) || cache.uat === persistedUat) return;
    const { uat, jwks } = cache;
    persistedUat = uat;
    lastGood = createLocalJWKSet(jwks);
    const body = `${JSON.stringify({ url, uat, jwks }, null, 2)}\n`;
    // Best effort: a read-only data folder costs the offline fallback, not verification.
    await writeFileAtomic(path, body).catch(() => undefined);
  };

  const fromLastGood: JWTVerifyGetKey = async (header, token) => {
    if (!lastGood) {
      throw new JwksUnavailableError('The identity provider key set could not be fetched.');
    }
    return lastGood(header, token);
  };

  return async (header, token) => {
    const online = () => Date.now() >= offlineUntil;
    if (!remote.fresh && online()) {
      try {
        await remote.reload();
      } catch {
        markOffline();
      }
      await remember();
    }
    if (!remote.fresh || !online()) return fromLastGood(header, token);
    try {
      return await remote(header, token);
    } catch (error) {
      if (isKeyMatchError(error)) throw error;
      // The refetch for an unknown kid failed: the endpoint is down. Same set, no refetch.
      markOffline();
      return fromLastGood(header, token);
    } finally {
      await remember();
    }
  };
}
