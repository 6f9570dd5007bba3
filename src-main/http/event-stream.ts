import type { FastifyInstance } from 'fastify';
import { EVENTS_HTTP_PATH } from '../../src-shared/contract/events';
import { AppError, ERROR_TYPES } from '../../src-shared/errors';
import { bearerToken } from '../auth';
import type { Backend } from '../backend';

/** Pushed events as server-sent events, for the renderer in a browser (the desktop uses IPC). */
export function registerEventStream(app: FastifyInstance, backend: Backend): void {
  app.get(EVENTS_HTTP_PATH, async (request, reply) => {
    // The same check as every operation: health is the only open route.
    const check = await backend.dispatch(
      'placesSummary',
      {},
      bearerToken(request.headers.authorization),
    );
    if (!check.ok && check.error.type === 'unauthorized') {
      return reply
        .code(ERROR_TYPES.unauthorized)
        .send(new AppError('unauthorized', check.error.detail).toBody());
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
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    request.raw.on('close', stop);
    res.on('error', stop);
  });
}
