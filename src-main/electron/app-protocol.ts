import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';
import { securityHeaders } from './content-security-policy';

/**
 * The app:// protocol that serves the built renderer (out/renderer). A custom, standard, secure
 * scheme instead of file:// gives the page a real origin for CSP and the sender check, and keeps
 * the rest of the disk out of reach.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged, which must run before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
} as const;

/** True only for app://renderer/... with no port or credentials. */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export type AppFileResolution =
  { ok: true; filePath: string } | { ok: false; status: 400 | 403; reason: string };

type PathApi = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute'>;

/**
 * The file under `rootDir` an app:// URL names, or why it may not be served. The URL parser has
 * already folded `..` and `%2e%2e` segments; this also refuses what only appears after
 * percent-decoding (`..%2f`, backslashes, NUL, drive letters) and, last, checks that the resolved
 * path is still inside the root. Pass `path.win32` to check the Windows rules anywhere.
 */
export function resolveAppFile(
  requestUrl: string,
  rootDir: string,
  paths: PathApi = nodePath,
): AppFileResolution {
  if (!isAppUrl(requestUrl)) {
    return { ok: false, status: 403, reason: 'Only app://renderer/ URLs are served.' };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return { ok: false, status: 400, reason: 'The path is not valid percent-encoding.' };
  }
  if (!decoded.startsWith('/')) {
    return { ok: false, status: 400, reason: 'The path must start with a slash.' };
  }
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const segments = relative.split('/');
  const refused = segments.find(
    (segment) =>
      segment === '' ||
      segment.startsWith('.') ||
      /[\\:\0]/.test(segment) ||
      paths.isAbsolute(segment),
  );
  if (refused !== undefined) {
    return { ok: false, status: 403, reason: 'The path leaves the renderer folder.' };
  }
  const root = paths.resolve(rootDir);
  const filePath = paths.resolve(root, ...segments);
  const inside = paths.relative(root, filePath);
  if (inside === '' || inside.startsWith('..') || paths.isAbsolute(inside)) {
    return { ok: false, status: 403, reason: 'The path leaves the renderer folder.' };
  }
  return { ok: true, filePath };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[nodePath.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** The protocol.handle handler: the file with its content type and the CSP, or a plain error. */
export async function serveAppRequest(request: Request, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plainResponse(405, 'Only GET and HEAD are served.');
  }
  const resolved = resolveAppFile(request.url, rootDir);
  if (!resolved.ok) return plainResponse(resolved.status, resolved.reason);
  let body: Buffer;
  try {
    body = await readFile(resolved.filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      return plainResponse(404, 'Not found.');
    }
    throw error;
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: securityHeaders(contentTypeFor(resolved.filePath)),
  });
}

function plainResponse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: securityHeaders('text/plain; charset=utf-8'),
  });
}
