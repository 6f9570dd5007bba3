import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from './app-protocol';
import { downloadAllowed, downloadSaveOptions } from './downloads';

describe('downloads', () => {
  it('takes only blob: URLs of the page itself (or the dev server in development)', () => {
    expect(downloadAllowed(`blob:${APP_ORIGIN}/5b1f6c1e-0000-4000-8000-000000000001`)).toBe(true);
    expect(downloadAllowed('blob:http://localhost:5173/abc', 'http://localhost:5173')).toBe(true);
    for (const url of [
      'blob:http://localhost:5173/abc',
      'https://evil.example/payload.exe',
      `${APP_ORIGIN}/index.html`,
      'blob:https://evil.example/abc',
      `blob:${APP_ORIGIN}.evil.example/abc`,
      'data:text/csv,a,b',
      'file:///etc/passwd',
    ]) {
      expect(downloadAllowed(url), url).toBe(false);
    }
  });

  it('offers the file in the Downloads folder under its own name only, as a CSV', () => {
    const options = downloadSaveOptions(
      'staging-editor-places-2026-12-05.csv',
      '/home/ana/Downloads',
    );
    expect(options.defaultPath).toBe(
      join('/home/ana/Downloads', 'staging-editor-places-2026-12-05.csv'),
    );
    expect(options.filters[0]).toEqual({
      name: 'CSV (comma-separated values)',
      extensions: ['csv'],
    });
    expect(downloadSaveOptions('../../.bashrc', '/d').defaultPath).toBe(join('/d', '.bashrc'));
    expect(downloadSaveOptions('..\\..\\x.csv', '/d').defaultPath).toBe(join('/d', 'x.csv'));
    expect(downloadSaveOptions('', '/d').defaultPath).toBe(join('/d', 'staging-editor-export.csv'));
  });
});
