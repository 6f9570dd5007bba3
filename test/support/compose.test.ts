import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe("compose.yaml, contributors' PostgreSQL", () => {
  const compose = readFileSync(join(root, 'compose.yaml'), 'utf8');

  it('serves PostgreSQL 15 on loopback 5432 with trust auth, what the tests expect by default', () => {
    expect(compose).toMatch(/image: postgres:15\b/);
    expect(compose).toMatch(/'127\.0\.0\.1:5432:5432'/);
    expect(compose).toMatch(/POSTGRES_HOST_AUTH_METHOD: trust/);
    expect(compose).toMatch(/POSTGRES_USER: postgres/);
    const stores = readFileSync(join(root, 'test', 'support', 'stores.ts'), 'utf8');
    expect(stores).toContain("'postgres://postgres@127.0.0.1:5432/postgres'");
  });
});
