import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { contract, operationNames, type OperationName } from '../../src-shared/contract';
import { AppError, ERROR_TYPES, type ErrorBody } from '../../src-shared/errors';
import { bearerToken } from '../auth';
import type { Backend } from '../backend';
import { registerEventStream } from './event-stream';
import { retryAfterHeader } from './retry-after';

/** Bodies above this are refused with 413 before parsing (10,000 ids fit in well under 1 MiB). */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** The renderer's Content-Security-Policy in browser mode (the desktop shell sets its own). */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

function sendError(reply: FastifyReply, error: ErrorBody) {
  return reply
    .code(ERROR_TYPES[error.type])
    .headers(retryAfterHeader(error))
    .type('application/json')
    .send(error);
}

/** Query or JSON body, with the path's `:params` laid over it. */
function rawInput(name: OperationName, request: FastifyRequest): unknown {
  const params = (request.params ?? {}) as Record<string, string>;
  const source = contract[name].http.source === 'query' ? request.query : request.body;
  if (source === undefined || source === null) return { ...params };
  if (typeof source !== 'object' || Array.isArray(source)) return source;
  return { ...(source as object), ...params };
}

export interface HttpServerOptions {
  /** The built renderer to serve at `/` (default out/renderer beside the build). */
  rendererDir?: string;
}

/** The contract's operations as the v3 HTTP API, plus the event stream and the renderer. */
export async function createHttpServer(
  backend: Backend,
  options: HttpServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: backend.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Tokens travel in headers only; never let a query string carry one into the logs.
    return503OnClosing: true,
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      return sendError(
        reply,
        new AppError(
          'payload_too_large',
          `The request body is larger than ${BODY_LIMIT_BYTES / 1024 / 1024} MiB; use the filter form for large selections.`,
        ).toBody(),
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
      return sendError(
        reply,
        new AppError(
          'bad_request',
          'Send the request body as JSON (Content-Type: application/json).',
        ).toBody(),
      );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const detail =
        error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'The request body is empty; send a JSON object.'
          : error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
            ? 'The request body is not valid JSON.'
            : `Bad request: ${error.message}`;
      return sendError(reply, new AppError('bad_request', detail).toBody());
    }
    request.log.error({ err: error }, 'unexpected error in the HTTP layer');
    return sendError(
      reply,
      new AppError(
        'internal_error',
        'Something went wrong on our side; nothing was changed.',
      ).toBody(),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new AppError(
        'not_found',
        `No route ${request.method} ${request.url.split('?')[0]}.`,
      ).toBody(),
    ),
  );

  for (const name of operationNames) {
    const { method, path, successStatus } = contract[name].http;
    app.route({
      method,
      url: path,
      handler: async (request, reply) => {
        const result = await backend.dispatch(
          name,
          rawInput(name, request),
          bearerToken(request.headers.authorization),
        );
        if (!result.ok) return sendError(reply, result.error);
        return reply.code(successStatus).send(result.value);
      },
    });
  }

  registerEventStream(app, backend);

  const rendererDir = options.rendererDir ?? findRendererDir();
  if (rendererDir) {
    await app.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/',
      // Each request looks in the folder (not a list of its files made at start-up), so a build
      // written while serve runs is sent at once rather than answered 404 until a restart.
      wildcard: true,
      // The build writes .br and .gz beside each asset (build/precompress.mjs): sent as they are.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        res.setHeader('Content-Security-Policy', CSP);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('Cache-Control', cacheControlFor(relative(rendererDir, filePath)));
        // The same address answers Brotli, gzip or plain bytes: caches must keep them apart.
        res.setHeader('Vary', 'Accept-Encoding');
      },
    });
  } else {
    app.get('/', (_request, reply) =>
      reply
        .type('text/html')
        .send(
          '<!doctype html><title>Staging Editor</title><p>The renderer is not built: run <code>npm run build</code>.</p>',
        ),
    );
  }
  return app;
}

/**
 * Vite names everything it emits under assets/ by content hash: a new build has new names, so
 * those files never change and may be kept a year. The page itself is checked on every load (a
 * new build must reach the reviewer at once).
 */
export function cacheControlFor(pathInRenderer: string): string {
  const [dir, name, ...deeper] = pathInRenderer.split(/[\\/]/);
  return dir === 'assets' && name && deeper.length === 0
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

function findRendererDir(): string | undefined {
  for (const dir of [
    join(import.meta.dirname, '../renderer'),
    join(import.meta.dirname, '../../out/renderer'),
  ]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}
