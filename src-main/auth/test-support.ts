/** Helpers for this folder's tests only (not exported from index.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { expect } from 'vitest';
import { loadSettings, type Settings } from '../config';
import { AppError } from '../../src-shared/errors';

const made: string[] = [];

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'staging-editor-auth-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Settings through the real loader, with a fresh temp data folder unless one is given. */
export function settingsFor(env: Record<string, string>, dataDir = tempDataDir()): Settings {
  return loadSettings({ STAGING_EDITOR_DATA_DIR: dataDir, ...env });
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A JWT with `sub` and a one-hour `exp` unless the claims say otherwise (null removes one). */
export async function sign(
  key: CryptoKey | Uint8Array,
  alg: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: JWTPayload = { sub: 'user-1', exp: nowSeconds() + 3600, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === null) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ ...header, alg }).sign(key);
}

export const base64urlJson = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`), built by hand as an attacker would. */
export function unsignedToken(claims: Record<string, unknown> = {}): string {
  const payload = { sub: 'user-1', exp: nowSeconds() + 3600, ...claims };
  return `${base64urlJson({ alg: 'none', typ: 'JWT' })}.${base64urlJson(payload)}.`;
}

/** Asserts an AppError of the given type whose detail matches, and that it leaks no token. */
export async function expectAuthError(
  promise: Promise<unknown>,
  detail: string | RegExp,
  options: { type?: string; token?: string } = {},
): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the promise to reject').toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.type).toBe(options.type ?? 'unauthorized');
  if (typeof detail === 'string') expect(appError.detail).toBe(detail);
  else expect(appError.detail).toMatch(detail);
  if (options.token) {
    expect(appError.detail).not.toContain(options.token);
    for (const part of options.token.split('.').filter((p) => p.length > 8)) {
      expect(appError.detail).not.toContain(part);
      expect(appError.message).not.toContain(part);
    }
  }
  return appError;
}

/** An identity provider's JWKS endpoint on loopback: the only allowed stand-in. */
export class FakeIdentityProvider {
  requests = 0;
  hang = false;
  /** Anything but 200 plays an endpoint that is up but failing. */
  status = 200;
  private server: Server | undefined;
  private port = 0;

  constructor(public jwks: JSONWebKeySet) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests += 1;
      if (this.hang) return; // never answers: the client's timeout must fire
      if (req.url !== '/.well-known/jwks.json' || this.status !== 200) {
        res.writeHead(req.url === '/.well-known/jwks.json' ? this.status : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.jwks));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
