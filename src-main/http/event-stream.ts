import type { FastifyInstance } from 'fastify';
import { EVENTS_HTTP_PATH } from '../../src-shared/contract/events';
import { ERROR_TYPES } from '../../src-shared/errors';
import { bearerToken } from '../auth';
import type { Backend } from '../backend';

/** Pushed events as server-sent events, for the renderer in a browser (the desktop uses IPC). */
export function registerEventStream(app: FastifyInstance, backend: Backend): void {
  const open = new Set<() => void>();
  // Streams never end on their own: end them when the server closes, or SIGTERM would wait.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(EVENTS_HTTP_PATH, async (request, reply) => {
    // The same check as every operation (health is the only open route), via the dispatcher.
    const check = await backend
      .dispatch('health', {}, undefined)
      .then(() =>
        backend.dispatch('placesSummary', {}, bearerToken(request.headers.authorization)),
      );
    if (!check.ok && check.error.type === 'unauthorized') {
      return reply.code(ERROR_TYPES.unauthorized).send(check.error);
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
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    request.raw.on('close', end);
    res.on('error', end);
  });
}
