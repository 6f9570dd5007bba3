import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * One structured logger. Known secret-bearing fields are redacted wherever they appear; the
 * rest of the code never puts a token, key or password into a log line in the first place.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'staging-editor' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-goog-api-key"]',
          'headers.authorization',
          '*.token',
          '*.apiKey',
          '*.password',
          '*.JWT_SECRET',
          '*.GOOGLE_MAPS_API_KEY',
          '*.DATABASE_URL',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(2),
  );
}
