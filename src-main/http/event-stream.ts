import type { FastifyInstance } from 'fastify';
import { EVENTS_HTTP_PATH } from '../../src-shared/contract/events';
import { ERROR_TYPES } from '../../src-shared/errors';
import { bearerToken } from '../auth';
import type { Backend } from '../backend';
import { retryAfterHeader } from './retry-after';

/** setTimeout's longest delay (about 24.8 days); a longer-lived token's stream ends then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Pushed events as server-sent events, for the renderer in a browser (the desktop uses IPC). */
export function registerEventStream(app: FastifyInstance, backend: Backend): void {
  const open = new Set<() => void>();
  // Streams never end on their own: end them when the server closes, or SIGTERM would wait.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(EVENTS_HTTP_PATH, async (request, reply) => {
    // The dispatcher's own token check (no query: opening a stream reads nothing). Every
    // failure refuses the stream with the dispatcher's answer: 401, or 503 without the keys.
    const auth = await backend.authenticate(bearerToken(request.headers.authorization));
    if (!auth.ok) {
      return reply
        .code(ERROR_TYPES[auth.error.type])
        .headers(retryAfterHeader(auth.error))
        .type('application/json')
        .send(auth.error);
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = backend.subscribe((name, payload) => {
      res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    // The stream lives no longer than its token: closed at `exp`, the client reconnects with
    // the token it has now, and a stale one gets 401 (sign in again).
    const expiry = setTimeout(
      () => end(),
      Math.min(MAX_TIMER_MS, Math.max(0, auth.user.expiresAt * 1000 - Date.now())),
    );
    const end = () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    request.raw.on('close', end);
    res.on('error', end);
  });
}
