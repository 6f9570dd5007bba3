import { request } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { precompressFile } from '../../build/precompress.mjs';
import { startBackend, type Backend } from '../../src-main/backend';
import { cacheControlFor, createHttpServer } from '../../src-main/http/server';
import { createTestStore, type TestStoreHandle } from '../support/stores';

/** `serve` sends the built renderer compressed ahead of time, cached by content hash. */
describe('the renderer as serve sends it', () => {
  let handle: TestStoreHandle;
  let backend: Backend;
  let app: Awaited<ReturnType<typeof createHttpServer>>;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  const script = `console.log(${JSON.stringify('a grid row '.repeat(400))});\n`;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><title>t</title>${'<p>x</p>'.repeat(300)}`,
    );
    writeFileSync(join(dir, 'assets/index-DDlNurWF.js'), script);
    writeFileSync(join(dir, 'assets/tiny-Abc12345.js'), 'x()');
    expect(Object.keys(await precompressFile(join(dir, 'assets/index-DDlNurWF.js')))).toEqual([
      'br',
      'gz',
    ]);
    // Too small to be worth a copy.
    expect(await precompressFile(join(dir, 'assets/tiny-Abc12345.js'))).toEqual({});
    handle = await createTestStore('sqlite');
    backend = await startBackend(handle.settings);
    app = await createHttpServer(backend, { rendererDir: dir });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await backend?.close();
    await handle?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The bytes as sent (fetch would decompress them). */
  const get = (path: string, encoding: string) =>
    new Promise<{ res: { status: number; headers: Headers }; body: Buffer }>((resolve, reject) => {
      request(base + path, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers.set(name, String(value));
          }
          resolve({ res: { status: res.statusCode ?? 0, headers }, body: Buffer.concat(chunks) });
        });
      })
        .on('error', reject)
        .end();
    });

  test('a hashed asset goes as its Brotli copy to a browser that takes it, kept for a year', async () => {
    const { res, body } = await get('/assets/index-DDlNurWF.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(body).toString()).toBe(script);
  });

  test('gzip for a browser without Brotli, the file itself for one without either', async () => {
    const gz = await get('/assets/index-DDlNurWF.js', 'gzip');
    expect(gz.res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const plain = await get('/assets/index-DDlNurWF.js', 'identity');
    expect(plain.res.headers.get('content-encoding')).toBeNull();
    expect(plain.body.toString()).toBe(script);
    // A file without copies goes as it is, whatever the browser takes.
    const tiny = await get('/assets/tiny-Abc12345.js', 'br, gzip');
    expect(tiny.res.headers.get('content-encoding')).toBeNull();
    expect(tiny.body.toString()).toBe('x()');
  });

  test('the page is checked on every load (a new build reaches the reviewer at once), with its CSP', async () => {
    const { res, body } = await get('/', 'br');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(body.toString()).toContain('<title>t</title>');
    expect(readFileSync(join(dir, 'index.html')).length).toBeGreaterThan(0);
  });

  test('a build written while serve runs is sent at once: its new assets and its new page', async () => {
    writeFileSync(join(dir, 'assets/index-N3wBu1ld.js'), 'next()');
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    writeFileSync(join(dir, 'index.html'), page.replace('<title>t</title>', '<title>t2</title>'));
    try {
      const asset = await get('/assets/index-N3wBu1ld.js', 'identity');
      expect(asset.res.status).toBe(200);
      expect(asset.body.toString()).toBe('next()');
      expect((await get('/', 'identity')).body.toString()).toContain('<title>t2</title>');
    } finally {
      writeFileSync(join(dir, 'index.html'), page);
    }
    // What is not there is the one error format's 404, as for the API; a path climbing out of
    // the folder is refused in it.
    for (const [path, status, type] of [
      ['/assets/gone-Xyz12345.js', 404, 'not_found'],
      ['/api/v3/nope', 404, 'not_found'],
      ['/assets/..%2f..%2fetc%2fpasswd', 400, 'bad_request'],
    ] as const) {
      const answer = await get(path, 'identity');
      expect(answer.res.status, path).toBe(status);
      expect(JSON.parse(answer.body.toString()), path).toMatchObject({ status: 'error', type });
    }
  });

  test('only what Vite names by content hash is cached for long', () => {
    expect(cacheControlFor('assets/index-DDlNurWF.js')).toMatch(/immutable/);
    expect(cacheControlFor('assets/index-DDlNurWF.js.br')).toMatch(/immutable/);
    expect(cacheControlFor('index.html')).toBe('no-cache');
    expect(cacheControlFor('favicon.png')).toBe('no-cache');
    expect(cacheControlFor('assets/deeper/x.js')).toBe('no-cache');
  });
});
