import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from './app-protocol';
import { navigationDecision } from './external-links';
import { isRendererUrl, rendererSource } from './renderer-source';
import { isTrustedSender } from './trusted-sender';

const devEnv = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };

describe("the window's page", () => {
  it('is the built renderer over app:// by default', () => {
    expect(rendererSource({ isPackaged: false, env: {} })).toEqual({
      entryUrl: APP_ENTRY_URL,
      devOrigin: undefined,
    });
  });

  it("is electron-vite's dev server in development when it names one (hot reload)", () => {
    expect(rendererSource({ isPackaged: false, env: devEnv })).toEqual({
      entryUrl: 'http://localhost:5173/',
      devOrigin: 'http://localhost:5173',
    });
    expect(
      rendererSource({ isPackaged: false, env: { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5174' } })
        .devOrigin,
    ).toBe('http://127.0.0.1:5174');
  });

  it('is always the built renderer in an installed app', () => {
    expect(rendererSource({ isPackaged: true, env: devEnv }).entryUrl).toBe(APP_ENTRY_URL);
  });

  it('ignores a dev server URL that is not http(s) on loopback', () => {
    for (const value of [
      'https://evil.example:5173',
      'http://192.168.1.2:5173',
      'file:///etc/passwd',
      'http://user:pw@localhost:5173',
      'not a url',
    ]) {
      expect(rendererSource({ isPackaged: false, env: { ELECTRON_RENDERER_URL: value } })).toEqual({
        entryUrl: APP_ENTRY_URL,
        devOrigin: undefined,
      });
    }
  });
});

describe("the dev server's pages", () => {
  const devOrigin = 'http://localhost:5173';

  it('are trusted like app:// pages only while the dev server is the source', () => {
    expect(isRendererUrl('http://localhost:5173/index.html', devOrigin)).toBe(true);
    expect(isRendererUrl('app://renderer/index.html', devOrigin)).toBe(true);
    expect(isRendererUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isRendererUrl('http://localhost:5174/', devOrigin)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true, devOrigin)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', false, devOrigin)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', true)).toBe(false);
  });

  it('stay in the window (a hot reload), while other links still go out', () => {
    expect(navigationDecision('http://localhost:5173/', devOrigin)).toBe('allow');
    expect(navigationDecision('http://localhost:5173/')).toBe('open-externally');
    expect(navigationDecision('https://example.com/', devOrigin)).toBe('open-externally');
  });
});
