import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './trusted-sender';

describe('which IPC senders may reach the backend', () => {
  it("trusts the main window's top frame showing the app", () => {
    expect(isTrustedSender('app://renderer/index.html', true)).toBe(true);
    expect(isTrustedSender('app://renderer/index.html#/grid', true)).toBe(true);
  });

  it('refuses a sub-frame even when it shows the app', () => {
    expect(isTrustedSender('app://renderer/index.html', false)).toBe(false);
  });

  it('refuses the top frame once it shows anything other than the app', () => {
    for (const url of [
      'https://evil.example/',
      'http://localhost:5173/',
      'file:///srv/app/out/renderer/index.html',
      'app://evil/index.html',
      'app://renderer:1/index.html',
      'about:blank',
      'data:text/html,hi',
      'devtools://devtools/bundled/inspector.html',
      '',
    ]) {
      expect(isTrustedSender(url, true), url).toBe(false);
    }
  });

  it('refuses a sender whose frame is gone', () => {
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
});
