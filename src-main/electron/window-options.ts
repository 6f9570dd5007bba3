import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowBounds } from './window-state';

export const MIN_WINDOW_SIZE = { width: 900, height: 560 } as const;

/**
 * The renderer runs as a web page with no Node: sandboxed, context-isolated, same-origin policy
 * on, no webviews, nothing insecure mixed in. The preload is its only way out.
 */
export function secureWebPreferences(options: {
  preloadPath: string;
  devTools: boolean;
}): WebPreferences {
  return {
    preload: options.preloadPath,
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
    safeDialogs: true,
    devTools: options.devTools,
  };
}

export function mainWindowOptions(options: {
  preloadPath: string;
  bounds: WindowBounds;
  dark: boolean;
  devTools: boolean;
}): BrowserWindowConstructorOptions {
  return {
    ...options.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Staging Editor',
    // Shown on 'ready-to-show', over a background matching the theme, so there is no white flash.
    show: false,
    backgroundColor: options.dark ? '#181d1f' : '#ffffff',
    webPreferences: secureWebPreferences(options),
  };
}
