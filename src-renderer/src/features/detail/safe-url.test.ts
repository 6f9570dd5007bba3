import { describe, expect, it } from 'vitest';
import { safeWebsiteHref, telHref } from './safe-url';

describe('links from scan results', () => {
  it('http and https websites become links; a bare host gets https', () => {
    expect(safeWebsiteHref('https://example.com/a')).toBe('https://example.com/a');
    expect(safeWebsiteHref('http://example.com')).toBe('http://example.com/');
    expect(safeWebsiteHref('www.example.com')).toBe('https://www.example.com/');
  });

  it('other schemes never become links', () => {
    expect(safeWebsiteHref('javascript:alert(1)')).toBeNull();
    expect(safeWebsiteHref('file:///etc/passwd')).toBeNull();
    expect(safeWebsiteHref(null)).toBeNull();
  });

  it('phone numbers keep digits and a leading plus', () => {
    expect(telHref('+1 (555) 010-9999')).toBe('tel:+15550109999');
    expect(telHref('n/a')).toBeNull();
    expect(telHref('1'.repeat(33))).toBeNull();
  });
});
