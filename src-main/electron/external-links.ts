import { isRendererUrl } from './renderer-source';

/** Longer links are refused rather than handed to the OS. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * The URL to hand to the OS browser, or null. Only http(s) with a host and no credentials:
 * `javascript:`, `file:`, `data:`, custom schemes (which could start other programs) and
 * `https://trusted@evil.example` style links are refused.
 */
export function externalLinkTarget(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

export interface ExternalOpenerDeps {
  /** shell.openExternal in the app. */
  openExternal: (url: string) => Promise<void>;
  logger: { warn: (fields: object, message: string) => void };
}

/**
 * The one way the app opens a link outside itself. Returns whether the link was handed to the OS
 * browser; refusals and failures are logged with the scheme and host only (a query string may
 * carry a secret).
 */
export function createExternalOpener(deps: ExternalOpenerDeps): (url: string) => boolean {
  return function openExternalSafely(url: string): boolean {
    const target = externalLinkTarget(url);
    if (target === null) {
      deps.logger.warn({ link: describeLink(url) }, 'refused to open a link outside the app');
      return false;
    }
    deps.openExternal(target).catch((error: unknown) => {
      deps.logger.warn(
        { link: describeLink(target), error: (error as Error)?.message },
        'the system could not open the link',
      );
    });
    return true;
  };
}

/** What a navigation attempt inside a window may do. */
export type NavigationDecision = 'allow' | 'open-externally' | 'block';

/**
 * app:// pages (and in development the dev server's, `devOrigin`) stay in the window; http(s)
 * links go to the OS browser; anything else is dropped.
 */
export function navigationDecision(url: unknown, devOrigin?: string): NavigationDecision {
  if (isRendererUrl(url, devOrigin)) return 'allow';
  if (externalLinkTarget(url) !== null) return 'open-externally';
  return 'block';
}

function describeLink(url: unknown): string {
  if (typeof url !== 'string') return typeof url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an unparsable URL';
  }
}
