import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** What replaces a secret in a log line. */
export const REDACTED = '[redacted]';

/**
 * Fields that carry a secret wherever they appear in a log line's object (top level or one level
 * down): the HTTP layer's headers, tokens, keys, passwords and the settings that hold secrets.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-goog-api-key"]',
  'headers.authorization',
  'headers["x-goog-api-key"]',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'JWT_SECRET',
  '*.JWT_SECRET',
  'GOOGLE_MAPS_API_KEY',
  '*.GOOGLE_MAPS_API_KEY',
  'DATABASE_URL',
  '*.DATABASE_URL',
];

/**
 * Secrets that hide in text (an error message, a URL, a stack) rather than in a named field.
 * Each keeps what says where the secret was and replaces the secret itself.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  // The password in a URL's user info: postgres://user:password@host/db
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@"\\]*:)[^\s/@"\\]+@/gi, `$1${REDACTED}@`],
  // Keys and tokens in a query string or fragment: ?key=…, &access_token=…, #token=…
  [
    /([?&#;](?:key|api[_-]?key|access[_-]?token|id[_-]?token|refresh[_-]?token|token|jwt|password|passwd|secret|client[_-]?secret|sig|signature)=)[^&\s"\\#]+/gi,
    `$1${REDACTED}`,
  ],
  // An Authorization header's value written out as text.
  [/\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // A compact JWS (every JWT starts with a base64url '{"'), wherever it appears.
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // A Google API key.
  [/AIza[0-9A-Za-z_-]{35}/g, REDACTED],
  // A PEM private key (JSON escapes its line breaks, so it stays inside one string).
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    `-----${REDACTED} PRIVATE KEY-----`,
  ],
];

/** Shorter known secrets are left alone: replacing two letters everywhere would garble the log. */
const MIN_KNOWN_SECRET_LENGTH = 4;

/**
 * A serialized log line with every secret taken out: the known values (the settings' secrets,
 * as written and as JSON escapes them) and anything that looks like a key, token or password.
 */
export function scrubSecrets(line: string, knownSecrets: readonly string[] = []): string {
  let out = line;
  for (const secret of knownSecrets) {
    if (secret.length < MIN_KNOWN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** The values in the settings that must never reach a log: the JWT secret, the API key, the password. */
export function secretsOf(settings: {
  JWT_SECRET?: string | undefined;
  GOOGLE_MAPS_API_KEY?: string | undefined;
  DATABASE_URL?: string | undefined;
}): string[] {
  const secrets: string[] = [];
  if (settings.JWT_SECRET) secrets.push(settings.JWT_SECRET);
  if (settings.GOOGLE_MAPS_API_KEY) secrets.push(settings.GOOGLE_MAPS_API_KEY);
  if (settings.DATABASE_URL) {
    try {
      const password = new URL(settings.DATABASE_URL).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // Validated as postgres:// by the settings schema; an odd one is still scrubbed by pattern.
    }
  }
  return secrets;
}

export interface LoggerOptions {
  /**
   * Values taken out of every line (see `secretsOf`); a function is asked at each line, so
   * secrets saved in the settings screen later are scrubbed too.
   */
  secrets?: readonly string[] | (() => readonly string[]);
}

/**
 * One structured logger. Known secret-bearing fields are redacted wherever they appear, and
 * every serialized line is scrubbed of known secrets and of anything shaped like a key, token
 * or password before it is written; the rest of the code never puts one in a log line anyway.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream | NodeJS.WritableStream,
  options: LoggerOptions = {},
): Logger {
  const given = options.secrets ?? [];
  const fixed = typeof given === 'function' ? null : [...given];
  const secrets = (): readonly string[] => fixed ?? (given as () => readonly string[])();
  return pino(
    {
      level,
      base: { app: 'staging-editor' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets()) },
    },
    (destination ?? pino.destination(2)) as DestinationStream,
  );
}
