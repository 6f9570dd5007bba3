import { describe, expect, it } from 'vitest';
import {
  MAX_EXTERNAL_URL_LENGTH,
  createExternalOpener,
  externalLinkTarget,
  navigationDecision,
} from './external-links';

const refused = [
  'javascript:alert(document.domain)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'file:///etc/passwd',
  'file://server/share/payload.exe',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  // tel: and mailto: only when plain: one number, one address, nothing else.
  'tel:',
  'tel:12',
  'tel:+1 555 0100',
  'tel:+1-555-0100',
  'tel:++15550100',
  'tel:5550100;phone-context=example.com',
  'tel:5550100?x=1',
  'tel:5550100#frag',
  'tel://5550100',
  'tel:javascript:alert(1)',
  `tel:${'1'.repeat(33)}`,
  'tel:5550100\n',
  'tel:%35550100',
  'mailto:',
  'mailto:someone',
  'mailto:@example.com',
  'mailto:someone@example',
  'mailto:someone@example.com?subject=hi',
  'mailto:someone@example.com?attach=/etc/passwd',
  'mailto:someone@example.com,other@example.com',
  'mailto:someone@example.com;other@example.com',
  'mailto:some%20one@example.com',
  'mailto:some one@example.com',
  'mailto:<someone@example.com>',
  'mailto:"a b"@example.com',
  'mailto:someone@-example.com',
  'mailto:someone@example.com#x',
  'mailto://someone@example.com',
  'mailto:someone@example.com\n',
  'sms:5550100',
  'callto:5550100',
  'smb://attacker.example/share',
  'ms-msdt:/id PCWDiagnostic',
  'search-ms:query=x',
  'vscode://file/etc/passwd',
  'steam://run/1',
  'chrome://settings',
  'app://renderer/index.html',
  'https://user:password@example.com/',
  'https://accounts.example.com@evil.example/',
  'http://',
  'https://',
  '//example.com/protocol-relative',
  'example.com',
  '',
];

describe('links the app hands to the OS browser', () => {
  it('allows http and https links, normalised', () => {
    expect(externalLinkTarget('https://maps.google.com/?cid=123')).toBe(
      'https://maps.google.com/?cid=123',
    );
    expect(externalLinkTarget('HTTP://Example.COM')).toBe('http://example.com/');
  });

  it('allows plain tel: and mailto: links for the phone and mail programs', () => {
    // The shape the detail panel's telHref makes: digits and a leading +.
    expect(externalLinkTarget('tel:+15550109999')).toBe('tel:+15550109999');
    expect(externalLinkTarget('tel:0301234567')).toBe('tel:0301234567');
    expect(externalLinkTarget('TEL:911')).toBe('tel:911');
    expect(externalLinkTarget('mailto:someone@example.com')).toBe('mailto:someone@example.com');
    expect(externalLinkTarget('MailTo:first.last+tag@mail.example.co.uk')).toBe(
      'mailto:first.last+tag@mail.example.co.uk',
    );
  });

  it('refuses every other scheme, credentials and malformed links', () => {
    for (const url of refused) expect(externalLinkTarget(url), url).toBeNull();
    expect(externalLinkTarget(undefined)).toBeNull();
    expect(externalLinkTarget({ toString: () => 'https://example.com' })).toBeNull();
  });

  it('refuses absurdly long links', () => {
    const long = `https://example.com/${'a'.repeat(MAX_EXTERNAL_URL_LENGTH)}`;
    expect(externalLinkTarget(long)).toBeNull();
  });
});

describe('openExternalSafely', () => {
  function setup(openExternal: (url: string) => Promise<void> = async () => {}) {
    const opened: string[] = [];
    const warnings: { fields: object; message: string }[] = [];
    const open = createExternalOpener({
      openExternal: (url) => {
        opened.push(url);
        return openExternal(url);
      },
      logger: { warn: (fields, message) => warnings.push({ fields, message }) },
    });
    return { open, opened, warnings };
  }

  it('opens http(s), tel: and mailto: links and nothing else', () => {
    const { open, opened, warnings } = setup();
    expect(open('https://example.com/listing?id=1')).toBe(true);
    expect(open('tel:+15550109999')).toBe(true);
    expect(open('mailto:someone@example.com')).toBe(true);
    for (const url of refused) expect(open(url), url).toBe(false);
    expect(opened).toEqual([
      'https://example.com/listing?id=1',
      'tel:+15550109999',
      'mailto:someone@example.com',
    ]);
    expect(warnings).toHaveLength(refused.length);
  });

  it('logs a refused tel: or mailto: link without the number or address', () => {
    const { open, warnings } = setup();
    open('tel:5550100;phone-context=example.com');
    open('mailto:someone@example.com?subject=hi');
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(warnings)).not.toMatch(/5550100|someone/);
  });

  it('logs a refused link by scheme and host only, never its query string', () => {
    const { open, warnings } = setup();
    open('file:///home/reviewer/secret?token=abc.def.ghi');
    expect(JSON.stringify(warnings)).not.toContain('abc.def.ghi');
  });

  it('logs when the OS fails to open an allowed link', async () => {
    const { open, warnings } = setup(() => Promise.reject(new Error('no browser')));
    expect(open('https://example.com/?token=secret')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('no browser');
    expect(JSON.stringify(warnings[0])).not.toContain('secret');
  });
});

describe('navigation inside a window', () => {
  it('stays on app://, sends http(s), tel: and mailto: to the OS and blocks the rest', () => {
    expect(navigationDecision('app://renderer/index.html')).toBe('allow');
    expect(navigationDecision('tel:+15550109999')).toBe('open-externally');
    expect(navigationDecision('mailto:someone@example.com')).toBe('open-externally');
    expect(navigationDecision('tel:+1 555')).toBe('block');
    expect(navigationDecision('mailto:a@example.com?attach=x')).toBe('block');
    expect(navigationDecision('https://example.com/')).toBe('open-externally');
    expect(navigationDecision('http://127.0.0.1:8080/')).toBe('open-externally');
    expect(navigationDecision('file:///etc/passwd')).toBe('block');
    expect(navigationDecision('javascript:alert(1)')).toBe('block');
    expect(navigationDecision('app://evil/index.html')).toBe('block');
    expect(navigationDecision('about:blank')).toBe('block');
  });
});
