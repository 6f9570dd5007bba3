import net from 'node:net';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PG_ADMIN_URL } from './stores';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

describe('the loopback TCP proxy, with a real PostgreSQL behind it', () => {
  let proxy: TcpProxy;
  const target = new URL(PG_ADMIN_URL);

  beforeAll(async () => {
    proxy = await startTcpProxy({
      targetHost: target.hostname,
      targetPort: Number(target.port || 5432),
    });
  });
  afterAll(() => proxy.close());

  test('the URL points at the proxy and keeps the rest', () => {
    const url = new URL(proxy.url('postgres://postgres@db.example:6543/somedb?sslmode=disable'));
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe(String(proxy.port));
    expect(url.pathname).toBe('/somedb');
    expect(url.username).toBe('postgres');
    expect(url.searchParams.get('sslmode')).toBe('disable');
  });

  test('queries work through it; after cut() they fail with a connection error; after restore() a new pool connection works', async () => {
    const pool = new pg.Pool({ connectionString: proxy.url(PG_ADMIN_URL), max: 2 });
    // An idle pooled connection that the cut destroys is reported here, not as a crash.
    const idleErrors: Error[] = [];
    pool.on('error', (error) => idleErrors.push(error));
    try {
      const { rows } = await pool.query<{ n: number }>('SELECT 41 + 1 AS n');
      expect(rows[0]!.n).toBe(42);

      // A connection checked out across the cut: its next query fails.
      const held = await pool.connect();
      held.on('error', () => {});
      proxy.cut();
      await expect(held.query('SELECT 1')).rejects.toThrow(
        /Connection terminated|ECONNRESET|Client has encountered a connection error|not queryable/,
      );
      held.release(true);
      // A new connection is refused (closed at once) while cut.
      await expect(pool.query('SELECT 1')).rejects.toThrow(
        /Connection terminated|ECONNRESET|connection error/,
      );

      proxy.restore();
      const again = await pool.query<{ n: number }>('SELECT 7 AS n');
      expect(again.rows[0]!.n).toBe(7);
    } finally {
      await pool.end();
    }
  });

  test('a delay in each direction is added to every round trip, and can be changed', async () => {
    const client = new pg.Client({ connectionString: proxy.url(PG_ADMIN_URL) });
    await client.connect();
    try {
      const roundTrip = async () => {
        const start = performance.now();
        await client.query('SELECT 1');
        return performance.now() - start;
      };
      proxy.setDelay(40);
      // One query is one round trip (simple protocol): at least 40 ms each way.
      expect(await roundTrip()).toBeGreaterThanOrEqual(80);
      proxy.setDelay(0);
      await roundTrip();
    } finally {
      proxy.setDelay(0);
      await client.end();
    }
  });

  test('delayed bytes keep their order in each direction', async () => {
    // An echo server behind a second proxy: 300 writes, each its own chunk, come back in order.
    const echo = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const slow = await startTcpProxy({
      targetHost: '127.0.0.1',
      targetPort: (echo.address() as net.AddressInfo).port,
      delayMs: 5,
    });
    const socket = net.connect({ host: '127.0.0.1', port: slow.port });
    try {
      const sent = Array.from({ length: 300 }, (_, i) => `${i};`);
      const expected = sent.join('');
      let received = '';
      const done = new Promise<void>((resolve) =>
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString();
          if (received.length >= expected.length) resolve();
        }),
      );
      for (const [i, piece] of sent.entries()) {
        socket.write(piece);
        // Vary the delay while chunks are queued: a later, shorter delay must not overtake.
        if (i % 50 === 0) slow.setDelay(i % 100 === 0 ? 5 : 0);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await done;
      expect(received).toBe(expected);
    } finally {
      socket.destroy();
      await slow.close();
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});
