/**
 * A loopback TCP proxy for tests and benchmarks: it forwards every connection to a target (a
 * PostgreSQL server, say), optionally holding each chunk back by a delay in each direction (a
 * slow network), and can cut every connection and refuse new ones (a network outage) until
 * restored. node:net only.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Added to every chunk in each direction: 50 ms gives a 100 ms round trip. */
  delayMs?: number;
}

export interface TcpProxy {
  /** The loopback port it listens on. */
  port: number;
  /** The same connection URL with host 127.0.0.1 and the proxy's port. */
  url(databaseUrl: string): string;
  /** Destroys every open connection and immediately closes new ones until restore(). */
  cut(): void;
  restore(): void;
  /** The delay for chunks arriving from now on (chunks already queued keep theirs). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const END = Symbol('end');

/**
 * One direction of one connection: chunks are delivered in arrival order, each no earlier than
 * its arrival plus the delay at that time. One queue and at most one timer per direction, so a
 * later chunk can never overtake an earlier one.
 */
function delayedPipe(from: net.Socket, to: net.Socket, delay: () => number): { clear(): void } {
  const queue: { chunk: Buffer | typeof END; due: number }[] = [];
  let timer: NodeJS.Timeout | null = null;

  const deliver = () => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.due <= now) {
      const { chunk } = queue.shift()!;
      if (to.destroyed) return;
      if (chunk === END) to.end();
      else to.write(chunk);
    }
    // A timer may fire a fraction of a millisecond early: re-arm for what is left.
    if (queue.length > 0) timer = setTimeout(deliver, Math.max(0, queue[0]!.due - now));
  };
  const push = (chunk: Buffer | typeof END) => {
    const ms = delay();
    if (ms <= 0 && queue.length === 0) {
      if (to.destroyed) return;
      if (chunk === END) to.end();
      else to.write(chunk);
      return;
    }
    queue.push({ chunk, due: performance.now() + ms });
    timer ??= setTimeout(deliver, Math.max(0, queue[0]!.due - performance.now()));
  };
  from.on('data', (chunk: Buffer) => push(chunk));
  from.on('end', () => push(END));
  return {
    clear() {
      if (timer) clearTimeout(timer);
      timer = null;
      queue.length = 0;
    },
  };
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  let delayMs = options.delayMs ?? 0;
  let refusing = false;
  const open = new Set<() => void>();

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect({
      host: options.targetHost,
      port: options.targetPort,
      allowHalfOpen: true,
    });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pipes = [
      delayedPipe(client, upstream, () => delayMs),
      delayedPipe(upstream, client, () => delayMs),
    ];
    const destroy = () => {
      open.delete(destroy);
      for (const pipe of pipes) pipe.clear();
      client.destroy();
      upstream.destroy();
    };
    open.add(destroy);
    // An error on either side (a reset, the target refusing) ends the pair at once; errors are
    // expected here (cuts, kills). A clean end travels through the queue like data (so a last
    // reply is still delivered late, not dropped), and the pair is forgotten once both closed.
    for (const socket of [client, upstream]) {
      socket.on('error', destroy);
      socket.on('close', (hadError) => {
        if (hadError || (client.closed && upstream.closed)) destroy();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  const cutAll = () => {
    for (const destroy of [...open]) destroy();
  };
  return {
    port,
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    cut() {
      refusing = true;
      cutAll();
    },
    restore() {
      refusing = false;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
