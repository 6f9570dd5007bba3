import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server in front of the fake Places API that holds every request until the test
 * opens the gate, then forwards it: a test can make a change while a call is certainly in flight
 * (a commit in between), without guessing a latency. A gate started open forwards at once until
 * `hold()`.
 */
export interface PlacesGate {
  baseUrl: string;
  /** Requests that arrived and are held. */
  held(): number;
  /** Forwards the held requests and every later one. */
  open(): void;
  /** Holds every later request (until `open()`). */
  hold(): void;
  /** Requests held or being forwarded (0: every request that arrived has been answered). */
  pending(): number;
  close(): Promise<void>;
}

export async function startPlacesGate(
  targetBaseUrl: string,
  options: { open?: boolean } = {},
): Promise<PlacesGate> {
  let opened = options.open ?? false;
  let pending = 0;
  const waiting: (() => void)[] = [];
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && key !== 'host' && key !== 'connection')
          headers[key] = value;
      }
      const answer = await fetch(new URL(req.url ?? '/', targetBaseUrl), { headers });
      const body = Buffer.from(await answer.arrayBuffer());
      const out: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (key !== 'content-encoding' && key !== 'transfer-encoding') out[key] = value;
      });
      res.writeHead(answer.status, out);
      res.end(body);
    } catch {
      res.destroy();
    } finally {
      pending--;
    }
  };
  const server = createServer((req, res) => {
    pending++;
    if (opened) void forward(req, res);
    else waiting.push(() => void forward(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    held: () => (opened ? 0 : waiting.length),
    open() {
      opened = true;
      for (const go of waiting.splice(0)) go();
    },
    hold() {
      opened = false;
    },
    pending: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
