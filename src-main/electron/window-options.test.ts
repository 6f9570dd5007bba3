import { describe, expect, it } from 'vitest';
import { MIN_WINDOW_SIZE, mainWindowOptions, secureWebPreferences } from './window-options';

describe('the BrowserWindow options', () => {
  const options = mainWindowOptions({
    preloadPath: '/app/out/preload/index.cjs',
    bounds: { x: 10, y: 20, width: 1200, height: 800 },
    dark: false,
    devTools: false,
  });

  it('sandboxes the renderer and isolates its context, with no Node anywhere', () => {
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('loads the CommonJS preload from the build', () => {
    expect(options.webPreferences?.preload).toBe('/app/out/preload/index.cjs');
  });

  it('keeps the developer tools for development builds only', () => {
    expect(options.webPreferences?.devTools).toBe(false);
    expect(secureWebPreferences({ preloadPath: 'p', devTools: true }).devTools).toBe(true);
  });

  it('opens hidden at the given bounds, no smaller than the minimum', () => {
    expect(options).toMatchObject({ x: 10, y: 20, width: 1200, height: 800, show: false });
    expect(options.minWidth).toBe(MIN_WINDOW_SIZE.width);
    expect(options.minHeight).toBe(MIN_WINDOW_SIZE.height);
  });

  it('has no option that would weaken the sandbox', () => {
    const prefs = options.webPreferences as Record<string, unknown>;
    for (const risky of ['nodeIntegration', 'enableRemoteModule', 'allowRunningInsecureContent']) {
      expect(prefs[risky] ?? false, risky).toBe(false);
    }
    expect(prefs.sandbox).toBe(true);
  });
});
