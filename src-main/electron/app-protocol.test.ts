import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import {
  APP_ENTRY_URL,
  contentTypeFor,
  isAppUrl,
  resolveAppFile,
  serveAppRequest,
} from './app-protocol';

const root = path.resolve('/srv/app/out/renderer');
const winRoot = 'C:\\Program Files\\Staging Editor\\resources\\app.asar\\out\\renderer';

function expectInsideRoot(url: string, rootDir = root, paths = path) {
  const result = resolveAppFile(url, rootDir, paths);
  if (result.ok) {
    const inside = paths.relative(rootDir, result.filePath);
    expect(inside.startsWith('..') || paths.isAbsolute(inside)).toBe(false);
  }
  return result;
}

describe('app:// URLs', () => {
  it('trusts only app://renderer with no port or credentials', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://renderer/assets/index.js?v=1#top')).toBe(true);
    for (const url of [
      'app://evil/index.html',
      'app://renderer.evil.example/index.html',
      'app://renderer:8080/index.html',
      'app://user:pw@renderer/index.html',
      'apps://renderer/index.html',
      'file:///srv/app/out/renderer/index.html',
      'http://renderer/index.html',
      'http://localhost:5173/',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(42)).toBe(false);
  });
});

describe('resolving an app:// URL to a file of the built renderer', () => {
  it('maps the root to index.html and paths to files below the renderer folder', () => {
    expect(resolveAppFile('app://renderer/', root)).toEqual({
      ok: true,
      filePath: path.join(root, 'index.html'),
    });
    expect(resolveAppFile('app://renderer/assets/index-C8.js?x=1', root)).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'index-C8.js'),
    });
    expect(resolveAppFile('app://renderer/assets/my%20font.woff2', root)).toEqual({
      ok: true,
      filePath: path.join(root, 'assets', 'my font.woff2'),
    });
  });

  it('never leaves the renderer folder with dot segments, raw or percent-encoded', () => {
    for (const url of [
      'app://renderer/../../etc/passwd',
      'app://renderer/assets/../../../etc/passwd',
      'app://renderer/%2e%2e/%2e%2e/etc/passwd',
      'app://renderer/%2E%2E/%2E%2E/etc/passwd',
      'app://renderer/.%2e/.%2e/etc/passwd',
    ]) {
      // The URL parser folds these segments away first; whatever is left stays inside.
      expectInsideRoot(url);
    }
  });

  it('refuses traversal that only appears after decoding: ..%2f, backslashes, NUL, dotfiles', () => {
    for (const url of [
      'app://renderer/..%2f..%2fetc%2fpasswd',
      'app://renderer/assets%2f..%2f..%2f..%2fetc%2fpasswd',
      'app://renderer/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://renderer/..%5c..%5cwindows%5cwin.ini',
      'app://renderer/assets\\..\\..\\secret',
      'app://renderer/index.html%00.png',
      'app://renderer/.env',
      'app://renderer/assets//index.js',
      'app://renderer/%2fetc%2fpasswd',
    ]) {
      const result = expectInsideRoot(url);
      expect(result.ok, url).toBe(false);
    }
  });

  it('refuses absolute paths and drive letters on Windows', () => {
    for (const url of [
      'app://renderer/C:%5cWindows%5cwin.ini',
      'app://renderer/C:/Windows/win.ini',
      'app://renderer/%5c%5cserver%5cshare%5cfile',
      'app://renderer/..%5c..%5c..%5cUsers',
      'app://renderer/index.html:Zone.Identifier',
    ]) {
      const result = expectInsideRoot(url, winRoot, path.win32);
      expect(result.ok, url).toBe(false);
    }
    expect(resolveAppFile('app://renderer/assets/a.js', winRoot, path.win32)).toEqual({
      ok: true,
      filePath: `${winRoot}\\assets\\a.js`,
    });
  });

  it('refuses malformed percent-encoding and other origins', () => {
    expect(resolveAppFile('app://renderer/%E0%A4%A', root)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(resolveAppFile('app://other/index.html', root)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(resolveAppFile('file:///etc/passwd', root)).toMatchObject({ ok: false, status: 403 });
  });

  it('names content types so module scripts load and nothing is sniffed', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/index-X.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a/x.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a/x.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/x.unknown')).toBe('application/octet-stream');
  });
});

describe('serving app:// requests from a renderer folder on disk', () => {
  let dir: string;
  let rendererDir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'staging-editor-protocol-'));
    rendererDir = path.join(dir, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'the neighbour of the renderer folder');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html with the CSP, its content type and nosniff', async () => {
    const response = await serveAppRequest(new Request(APP_ENTRY_URL), rendererDir);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>t</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves a script as JavaScript', async () => {
    const response = await serveAppRequest(
      new Request('app://renderer/assets/app.js'),
      rendererDir,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('does not hand out the file next to the renderer folder', async () => {
    for (const url of [
      'app://renderer/..%2fsecret.txt',
      'app://renderer/assets/..%2f..%2fsecret.txt',
      'app://renderer/../secret.txt',
      'app://renderer/%2e%2e/secret.txt',
    ]) {
      const response = await serveAppRequest(new Request(url), rendererDir);
      expect([403, 404], url).toContain(response.status);
      expect(await response.text(), url).not.toContain('neighbour');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers 404 for a missing file or a folder, and 405 for other methods', async () => {
    expect((await serveAppRequest(new Request('app://renderer/nope.js'), rendererDir)).status).toBe(
      404,
    );
    expect((await serveAppRequest(new Request('app://renderer/assets'), rendererDir)).status).toBe(
      404,
    );
    const post = new Request('app://renderer/index.html', { method: 'POST', body: 'x' });
    expect((await serveAppRequest(post, rendererDir)).status).toBe(405);
  });
});
