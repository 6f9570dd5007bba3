import { APP_ENTRY_URL, isAppUrl } from './app-protocol';

/** Where the window's page comes from. */
export interface RendererSource {
  /** What the window loads. */
  entryUrl: string;
  /** electron-vite's dev server origin (http://localhost:5173), trusted like app:// in development. */
  devOrigin: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The built renderer over app:// (always, in an installed app), or in development the dev server
 * electron-vite names in ELECTRON_RENDERER_URL (`npm run dev`), for hot reload. Only an http(s)
 * loopback URL without credentials is taken; anything else falls back to the built renderer.
 */
export function rendererSource(input: {
  isPackaged: boolean;
  env: Record<string, string | undefined>;
}): RendererSource {
  const built = { entryUrl: APP_ENTRY_URL, devOrigin: undefined };
  const raw = input.env.ELECTRON_RENDERER_URL?.trim();
  if (input.isPackaged || !raw) return built;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return built;
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    !LOOPBACK_HOSTS.has(url.hostname) ||
    url.username !== '' ||
    url.password !== ''
  ) {
    return built;
  }
  return { entryUrl: url.href, devOrigin: url.origin };
}

/** The app's own page: app://renderer/..., or in development a page of the dev server's origin. */
export function isRendererUrl(url: unknown, devOrigin: string | undefined): boolean {
  if (isAppUrl(url)) return true;
  if (devOrigin === undefined || typeof url !== 'string') return false;
  try {
    const parsed = new URL(url);
    return parsed.origin === devOrigin && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
