import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server in front of the fake Places API (test/support/fake-places-api.ts) that
 * holds every request until the test opens it: while it is shut, the scan it was asked for stays
 * in flight and every other queued place waits its turn, so the grid's intermediate states are
 * there to see for as long as the test needs, on however loaded a machine.
 */
export interface PlacesApiGate {
  /** Give this to serve as PLACES_API_BASE_URL. */
  readonly baseUrl: string;
  /** The place ids asked for so far, in order (held or passed). */
  readonly asked: string[];
  /** Resolves with the place id of the first request held (at once if one already is). */
  firstHeld(): Promise<string>;
  /** Lets every held request through, and every later one at once. */
  open(): void;
  close(): Promise<void>;
}

export async function startPlacesApiGate(upstream: string): Promise<PlacesApiGate> {
  const asked: string[] = [];
  const held: (() => void)[] = [];
  let isOpen = false;
  let onHeld: ((placeId: string) => void) | null = null;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', upstream);
    const proxied = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  };

  const server = createServer((req, res) => {
    const placeId = decodeURIComponent(
      (req.url ?? '').split('?')[0]!.replace(/^\/v1\/places\//, ''),
    );
    asked.push(placeId);
    if (isOpen) return forward(req, res);
    req.pause();
    held.push(() => {
      req.resume();
      forward(req, res);
    });
    onHeld?.(placeId);
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    asked,
    firstHeld() {
      if (asked.length > 0 && !isOpen) return Promise.resolve(asked[0]!);
      return new Promise((resolve) => (onHeld = resolve));
    },
    open() {
      isOpen = true;
      for (const release of held.splice(0)) release();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
