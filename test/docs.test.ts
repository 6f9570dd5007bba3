import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { IMPORT_FIELDS } from '../src-shared/import-file';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The project's own documents: the README and everything under docs/. */
function documents(): string[] {
  const found = [join(ROOT, 'README.md')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return found;
}

/** Relative link targets, and paths written in code spans that look like files. */
function references(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
  const spans = [...text.matchAll(/`([^`\s]*\.\.\/[^`\s]*)`/g)].map((m) => m[1]!);
  return [...links, ...spans].filter((ref) => !/^[a-z]+:/i.test(ref));
}

describe('the documentation stands alone', () => {
  test.each(documents().map((path) => [relative(ROOT, path), path]))(
    '%s links only to files inside the repository, and they exist',
    (_name, path) => {
      const text = readFileSync(path, 'utf8');
      for (const ref of references(text)) {
        const target = resolve(dirname(path), ref);
        expect(relative(ROOT, target).startsWith('..'), `${ref} leaves the repository`).toBe(false);
        expect(existsSync(target), `${ref} does not exist`).toBe(true);
      }
    },
  );
});

test('the README’s import table lists each field with exactly the column names the reader takes', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| field '));
  const rows = table
    .slice(0, table.indexOf('\n\n'))
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').map((cell) => cell.trim()));
  expect(rows.map(([, label, names]) => [label, names!.split(', ')])).toEqual(
    Object.values(IMPORT_FIELDS).map((f) => [f.label, [...f.names]]),
  );
});
