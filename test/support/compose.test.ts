import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..');

interface Service {
  image: string;
  environment: Record<string, string | number>;
  ports: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe("compose.yaml, contributors' PostgreSQL", () => {
  const compose = readFileSync(join(root, 'compose.yaml'), 'utf8');
  const services = (parse(compose) as { services: Record<string, Service> }).services;
  const stores = readFileSync(join(root, 'test', 'support', 'stores.ts'), 'utf8');

  it('serves PostgreSQL 15 on loopback 5432 with trust auth, what the tests expect by default', () => {
    expect(compose).toMatch(/image: postgres:15\b/);
    expect(compose).toMatch(/'127\.0\.0\.1:5432:5432'/);
    expect(compose).toMatch(/POSTGRES_HOST_AUTH_METHOD: trust/);
    expect(compose).toMatch(/POSTGRES_USER: postgres/);
    expect(stores).toContain("'postgres://postgres@127.0.0.1:5432/postgres'");
  });

  it('serves a transaction-mode PgBouncer in front of it on loopback 6432, where the pooler pass looks', () => {
    const bouncer = services.pgbouncer!;
    // A version, never a moving tag.
    expect(bouncer.image).toMatch(/^edoburu\/pgbouncer:\d+\.\d+\.\d+$/);
    expect(bouncer.environment).toMatchObject({
      DB_HOST: 'postgres',
      AUTH_TYPE: 'trust',
      POOL_MODE: 'transaction',
    });
    expect(bouncer.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(bouncer.ports).toEqual(['127.0.0.1:6432:5432']);
    expect(bouncer.healthcheck?.test).toContain('pg_isready');
    // Its server connections stay well under PostgreSQL's default max_connections (100).
    expect(Number(bouncer.environment.MAX_USER_CONNECTIONS)).toBeLessThanOrEqual(50);
    expect(stores).toContain("'postgres://postgres@127.0.0.1:6432/postgres'");
  });
});
