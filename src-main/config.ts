import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { formatCount } from '../src-shared/messages';

/**
 * Every setting, once. Values come from the environment (a settings file can feed the same
 * object later); an empty string counts as unset. A bad value stops start-up with one sentence
 * naming the variable, and never echoes a secret's value.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'GOOGLE_MAPS_API_KEY',
  'DATABASE_URL',
]);

/*
 * Numbers coerced from their text. Every way of missing one (not a number, a fraction where a
 * whole one is wanted, out of range) gets the one sentence saying what it must be.
 */
const wholeNumber = (min: number, max: number) => {
  const error = `must be a whole number from ${formatCount(min)} to ${formatCount(max)}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const decimal = (min: number, max: number) => {
  const error = `must be a number from ${formatCount(min)} to ${formatCount(max)}`;
  return z.coerce.number({ error }).min(min, { error }).max(max, { error });
};
/** A decimal above 0 (a rate). */
const positiveDecimal = (max: number) => {
  const error = `must be a number above 0, at most ${formatCount(max)}`;
  return z.coerce.number({ error }).gt(0, { error }).max(max, { error });
};
const positiveInt = (max: number) => wholeNumber(1, max);
/** A whole number where 0 means "off". */
const wholeOrOff = (max: number) => wholeNumber(0, max);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The rules of each setting's value. What each one does: SETTING_HELP, below. */
export const settingsSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Unset: derived from this machine's cores (see `defaultPoolSize`). */
  DATABASE_POOL_SIZE: positiveInt(500).optional(),
  DATABASE_CONNECT_TIMEOUT_SECONDS: positiveInt(600).default(10),
  /** 0: not sent (behind a PgBouncer older than 1.20: set it on the database role instead). */
  DATABASE_LOCK_TIMEOUT_SECONDS: wholeOrOff(3600).default(10),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: wholeOrOff(86_400).default(60),
  SQLITE_PATH: z.string().optional(),
  STAGING_EDITOR_DATA_DIR: z.string().optional(),
  JWT_SECRET: z
    .string()
    .refine((s) => Buffer.byteLength(s, 'utf8') >= 32, 'must be at least 32 bytes long')
    .optional(),
  JWT_PUBLIC_KEY: z
    .string()
    .refine((s) => s.includes('-----BEGIN PUBLIC KEY-----'), 'must be a PEM public key (SPKI)')
    .optional(),
  JWT_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  GOOGLE_MAPS_API_KEY: z.string().optional(),
  PLACES_API_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default('https://places.googleapis.com'),
  DEEP_SCAN_INTERVAL_SECONDS: positiveInt(3600).default(10),
  DEEP_SCAN_BATCH_SIZE: positiveInt(1000).default(20),
  DEEP_SCAN_MAX_CONCURRENCY: positiveInt(64).default(4),
  DEEP_SCAN_LEASE_SECONDS: positiveInt(3600).default(60),
  DEEP_SCAN_MAX_ATTEMPTS: positiveInt(50).default(5),
  DEEP_SCAN_RATE_PER_SECOND: positiveDecimal(10_000).default(10),
  // The longest pause or retry delay (a 429's Retry-After, backoff, a rejected key); at most
  // 7 days, well inside what timers and PostgreSQL int milliseconds can hold (24.8 days).
  DEEP_SCAN_MAX_PAUSE_SECONDS: positiveInt(7 * 24 * 3600).default(3600),
  // Written to the store's one limit (scan/daily-limit.ts), counted in the spend ledger.
  DEEP_SCAN_DAILY_CALL_LIMIT: wholeOrOff(1_000_000_000).optional(),
  DEEP_SCAN_COST_PER_1000: decimal(0, 1_000_000).optional(),
  SYNC_LOCATIONS: z
    .string()
    .transform((s) => {
      const locations = s
        .split(';')
        .map((l) => l.trim())
        .filter(Boolean);
      // Only separators: no list at all (every place), never an empty list (no place).
      return locations.length ? locations : undefined;
    })
    .optional(),
  SYNC_PULL_INTERVAL_SECONDS: positiveInt(3600).default(15),
  SYNC_RETRY_MAX_SECONDS: positiveInt(600).default(10),
  SYNC_PROBE_TIMEOUT_SECONDS: positiveInt(60).default(3),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  // `serve` and `worker` write log files only when it is set.
  LOG_DIR: z.string().optional(),
});

export type Settings = Omit<z.infer<typeof settingsSchema>, 'DATABASE_POOL_SIZE'> & {
  /** The PostgreSQL pool size: the setting, or derived from this machine's cores. */
  DATABASE_POOL_SIZE: number;
  dataDir: string;
};

/** The default pool never goes below this (a one- or two-core machine). */
const MIN_POOL_SIZE = 4;
/** Connections per core of this machine in the default pool. */
const POOL_CONNECTIONS_PER_CORE = 2;

/**
 * The default PostgreSQL pool: two connections per core of this machine, at least MIN_POOL_SIZE.
 * PostgreSQL does its best work with about that many queries running at once; more only wait
 * inside the server, and on the machine that serves they also take the cores from this process's
 * one event loop (measured: README, "Sizing the shared store"). The deep scan loop needs no
 * connection per scan: a call to the Places API holds none, and its statements are short.
 * Against a store on another machine, DATABASE_POOL_SIZE can say more.
 */
export function defaultPoolSize(cores: number = availableParallelism()): number {
  return Math.max(MIN_POOL_SIZE, POOL_CONNECTIONS_PER_CORE * cores);
}

/**
 * Each setting's name for people, the settings screen's label (beside the environment name, which
 * the README, the logs and the errors use). Every setting has one: the type makes it so.
 */
export const SETTING_TITLE: Readonly<Record<keyof typeof settingsSchema.shape, string>> = {
  DATABASE_URL: 'Team store address',
  DATABASE_POOL_SIZE: 'Connections to the team store',
  DATABASE_CONNECT_TIMEOUT_SECONDS: 'Wait for a connection (seconds)',
  DATABASE_LOCK_TIMEOUT_SECONDS: 'Wait for a locked row (seconds)',
  DATABASE_STATEMENT_TIMEOUT_SECONDS: 'Longest statement (seconds)',
  SQLITE_PATH: 'Store file on this computer',
  STAGING_EDITOR_DATA_DIR: 'Data folder',
  JWT_SECRET: 'Token secret',
  JWT_PUBLIC_KEY: 'Token public key',
  JWT_JWKS_URL: 'Key set address (JWKS)',
  JWT_ISSUER: 'Token issuer',
  JWT_AUDIENCE: 'Token audience',
  GOOGLE_MAPS_API_KEY: 'Places API key',
  PLACES_API_BASE_URL: 'Places API address',
  DEEP_SCAN_INTERVAL_SECONDS: 'Queue check interval (seconds)',
  DEEP_SCAN_BATCH_SIZE: 'Places taken at a time',
  DEEP_SCAN_MAX_CONCURRENCY: 'Calls at once',
  DEEP_SCAN_LEASE_SECONDS: 'Hand-over after silence (seconds)',
  DEEP_SCAN_MAX_ATTEMPTS: 'Tries per place',
  DEEP_SCAN_RATE_PER_SECOND: 'Calls per second',
  DEEP_SCAN_MAX_PAUSE_SECONDS: 'Longest pause (seconds)',
  DEEP_SCAN_DAILY_CALL_LIMIT: 'Daily call limit',
  DEEP_SCAN_COST_PER_1000: 'Price per 1,000 calls (US dollars)',
  SYNC_LOCATIONS: 'Search locations to copy',
  SYNC_PULL_INTERVAL_SECONDS: 'Pull interval (seconds)',
  SYNC_RETRY_MAX_SECONDS: 'Longest wait between tries (seconds)',
  SYNC_PROBE_TIMEOUT_SECONDS: 'Wait for the team store at start (seconds)',
  LOG_LEVEL: 'Log detail',
  LOG_DIR: 'Log folder',
};

/**
 * What each setting does, in a sentence for the person changing it: the settings screen shows it
 * under the field (and reads it out with it). Every setting has one: the type makes it so.
 */
export const SETTING_HELP: Readonly<Record<keyof typeof settingsSchema.shape, string>> = {
  DATABASE_URL:
    "The team's shared PostgreSQL store (postgres://…). With SQLITE_PATH too: team mode, " +
    "working on this computer's copy and syncing with the team. Unset: this computer's own store.",
  DATABASE_POOL_SIZE:
    'How many connections this app may open to PostgreSQL. Unset: ' +
    `${POOL_CONNECTIONS_PER_CORE} per core of this computer, at least ${MIN_POOL_SIZE}.`,
  DATABASE_CONNECT_TIMEOUT_SECONDS:
    'Seconds a request waits for a free PostgreSQL connection before it is refused as busy.',
  DATABASE_LOCK_TIMEOUT_SECONDS:
    'Seconds a statement waits for a row someone else is changing before it gives up. 0: the ' +
    "server's own setting.",
  DATABASE_STATEMENT_TIMEOUT_SECONDS:
    "Seconds one statement may run before PostgreSQL stops it. 0: the server's own setting.",
  SQLITE_PATH:
    "The SQLite file: this computer's store (in team mode, its copy of the team's). Unset: " +
    'staging.sqlite in the data folder.',
  STAGING_EDITOR_DATA_DIR:
    'The data folder: the SQLite file, the settings file, the local signing key and the key ' +
    'cache. Only from the environment.',
  JWT_SECRET: 'Check sign-in tokens (HS256) with this shared secret, at least 32 bytes long.',
  JWT_PUBLIC_KEY:
    'Check sign-in tokens with this PEM public key (RS256, PS256, ES256, ES384 or EdDSA).',
  JWT_JWKS_URL:
    "Check sign-in tokens with your identity provider's key set at this URL (kept for offline use).",
  JWT_ISSUER: 'Accept only sign-in tokens from this issuer (their iss).',
  JWT_AUDIENCE: 'Accept only sign-in tokens for this audience (their aud).',
  GOOGLE_MAPS_API_KEY: 'The Google Places API key deep scans call with. Unset: no deep scans run.',
  PLACES_API_BASE_URL: 'Where the Places API answers; change it only for a proxy or a test server.',
  DEEP_SCAN_INTERVAL_SECONDS:
    'How often, in seconds, an idle scanner looks at the queue again (and at a spent daily limit).',
  DEEP_SCAN_BATCH_SIZE: 'How many queued places a scanner takes at a time.',
  DEEP_SCAN_MAX_CONCURRENCY: 'How many Places API calls this computer makes at once.',
  DEEP_SCAN_LEASE_SECONDS:
    'Seconds a scanner that stopped answering keeps its places before another takes them over.',
  DEEP_SCAN_MAX_ATTEMPTS: 'Tries per place before its deep scan is marked Error.',
  DEEP_SCAN_RATE_PER_SECOND: 'Places API calls per second, shared by every scanner on the store.',
  DEEP_SCAN_MAX_PAUSE_SECONDS:
    'The longest wait, in seconds, after the Places API asks to slow down or refuses the key.',
  DEEP_SCAN_DAILY_CALL_LIMIT:
    'Places API calls per UTC day for everyone sharing the store; then scans pause until the ' +
    "next day. 0: none. Unset: the store's limit stays as it is.",
  DEEP_SCAN_COST_PER_1000:
    'The price of 1,000 Places API calls in US dollars, for the cost estimates of the scan ' +
    'panel, the question before many scans and the spend report. Unset: no estimates.',
  SYNC_LOCATIONS:
    'Team mode: copy only places of these search locations to this computer, separated by ; ' +
    '(unset: every place).',
  SYNC_PULL_INTERVAL_SECONDS:
    "Team mode: seconds between pulls of colleagues' changes while online.",
  SYNC_RETRY_MAX_SECONDS:
    'Team mode: the longest wait, in seconds, between tries to reach the team store while offline.',
  SYNC_PROBE_TIMEOUT_SECONDS:
    'Team mode: seconds to wait for the team store at start before working offline.',
  LOG_LEVEL: 'How much goes to the log: fatal, error, warn, info, debug, trace or silent.',
  LOG_DIR:
    'Write rotating log files to this folder. The desktop app always writes them (to its data ' +
    'folder unless this moves them).',
};

export class SettingsError extends Error {
  override name = 'SettingsError';
  /** The settings the sentence is about (the settings screen shows it beside them). */
  readonly keys: readonly string[];
  constructor(message: string, keys: readonly string[] = []) {
    super(message);
    this.keys = keys;
  }
}

/** Where the app keeps its SQLite file and local keys, matching Electron's userData folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const app = 'staging-editor';
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), app);
}

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0]);
    const shown = SECRET_KEYS.has(key) ? '' : ` (got ${JSON.stringify(raw[key])})`;
    throw new SettingsError(`Setting ${key} is invalid: ${issue.message}${shown}.`, [key]);
  }
  const jwtModes = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL'].filter((k) => raw[k]);
  if (jwtModes.length > 1) {
    throw new SettingsError(
      `Settings ${jwtModes.join(' and ')} are both set: choose one way to verify tokens.`,
      jwtModes,
    );
  }
  return {
    ...parsed.data,
    DATABASE_POOL_SIZE: parsed.data.DATABASE_POOL_SIZE ?? defaultPoolSize(),
    // A relative data folder is taken from the working directory, as the desktop app does.
    dataDir: parsed.data.STAGING_EDITOR_DATA_DIR
      ? resolve(parsed.data.STAGING_EDITOR_DATA_DIR)
      : defaultDataDir(env as NodeJS.ProcessEnv),
  };
}

/** Team mode: the shared PostgreSQL (DATABASE_URL) plus this computer's replica (SQLITE_PATH). */
export function isTeamMode(settings: Settings): boolean {
  return Boolean(settings.DATABASE_URL && settings.SQLITE_PATH);
}

export function sqlitePath(settings: Settings): string {
  return settings.SQLITE_PATH ?? join(settings.dataDir, 'staging.sqlite');
}
