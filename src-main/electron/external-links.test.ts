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
  'mailto:someone@example.com',
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

  it('opens http(s) links and nothing else', () => {
    const { open, opened, warnings } = setup();
    expect(open('https://example.com/listing?id=1')).toBe(true);
    for (const url of refused) expect(open(url), url).toBe(false);
    expect(opened).toEqual(['https://example.com/listing?id=1']);
    expect(warnings).toHaveLength(refused.length);
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
  it('stays on app://, sends http(s) to the browser and blocks the rest', () => {
    expect(navigationDecision('app://renderer/index.html')).toBe('allow');
    expect(navigationDecision('https://example.com/')).toBe('open-externally');
    expect(navigationDecision('http://127.0.0.1:8080/')).toBe('open-externally');
    expect(navigationDecision('file:///etc/passwd')).toBe('block');
    expect(navigationDecision('javascript:alert(1)')).toBe('block');
    expect(navigationDecision('app://evil/index.html')).toBe('block');
    expect(navigationDecision('about:blank')).toBe('block');
  });
});
