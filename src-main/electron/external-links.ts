import { isRendererUrl } from './renderer-source';

/** Longer links are refused rather than handed to the OS. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

/** The most digits a phone number has (E.164 allows 15; room for extensions and odd plans). */
export const MAX_TEL_DIGITS = 32;

/** `tel:` and digits, with a leading + at most: what the detail panel's phone links are. */
const TEL = new RegExp(`^tel:(\\+?[0-9]{3,${MAX_TEL_DIGITS}})$`, 'i');

/**
 * `mailto:` and one plain address (the usual characters of a local part, a dotted host name): no
 * second address, no `?subject=`/`body=`/`attach=` fields (some mail programs attach local files
 * named there), no percent-escapes, no spaces, no slashes.
 */
const MAILTO =
  /^mailto:([A-Za-z0-9!#$&'*+=^_~-]+(?:\.[A-Za-z0-9!#$&'*+=^_~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/i;

/** A well-formed `tel:` or `mailto:` link, with its scheme in lower case, or null. */
export function systemHandlerTarget(url: string): string | null {
  const tel = TEL.exec(url);
  if (tel) return `tel:${tel[1]}`;
  const mailto = MAILTO.exec(url);
  if (mailto) return `mailto:${mailto[1]}`;
  return null;
}

/**
 * The URL to hand to the OS, or null: http(s) with a host and no credentials (for the browser),
 * or a well-formed `tel:` or `mailto:` link (for the phone or mail program). `javascript:`,
 * `file:`, `data:`, other custom schemes (which could start other programs), odd `tel:` and
 * `mailto:` links and `https://trusted@evil.example` style links are refused.
 */
export function externalLinkTarget(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  if (/^(tel|mailto):/i.test(url)) return systemHandlerTarget(url);
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
 * The one way the app opens a link outside itself. Returns whether the link was handed to the OS;
 * refusals and failures are logged with the scheme and host only (a query string may carry a
 * secret; a phone number or address is nobody's business).
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
 * app:// pages (and in development the dev server's, `devOrigin`) stay in the window; http(s),
 * tel: and mailto: links go to the OS; anything else is dropped.
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
