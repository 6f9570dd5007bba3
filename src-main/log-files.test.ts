import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from './config';
import {
  cliLogOutput,
  createAppLogger,
  desktopLogOutput,
  LOG_FILE_NAME,
  logFileName,
  logsDirectory,
  openLogFile,
} from './log-files';
import { createLogger, REDACTED, scrubSecrets } from './logger';
import { createDispatcher } from './router/dispatcher';
import type { Handlers } from './router/handlers';

const root = mkdtempSync(join(tmpdir(), 'staging-editor-logs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = () => join(root, `logs-${++n}`);

const JWT_SECRET = 'jwt-secret-0123456789-abcdefghijklmnop';
const MAPS_KEY = 'AIzaSyD-0123456789abcdefghijklmnopqrstu';
const DB_PASSWORD = 'S3cr3t-Pa55';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXJpYSJ9.c2lnbmF0dXJlLWJ5dGVz';

/** Settings as the environment would give them, each secret set. */
function settingsWithSecrets(extra: Record<string, string> = {}) {
  return loadSettings({
    STAGING_EDITOR_DATA_DIR: root,
    JWT_SECRET,
    GOOGLE_MAPS_API_KEY: MAPS_KEY,
    DATABASE_URL: `postgres://editor:${DB_PASSWORD}@db.example:5432/staging`,
    ...extra,
  });
}

function readLog(dir: string): string {
  return readFileSync(join(dir, LOG_FILE_NAME), 'utf8');
}

describe('the log file', () => {
  it('keeps every secret out, whichever way it reaches a log line', async () => {
    const dir = newDir();
    const settings = settingsWithSecrets();
    const { logger, close, logsDir } = createAppLogger({ settings, logsDir: dir, stderr: false });
    expect(logsDir).toBe(dir);

    // Named fields the redact paths know.
    logger.info({ req: { headers: { authorization: `Bearer ${BEARER}` } } }, 'a request');
    logger.info({ headers: { authorization: `Bearer ${BEARER}` } }, 'upstream call');
    logger.info({ settings }, 'the whole settings object');
    logger.info({ token: BEARER, apiKey: MAPS_KEY, password: DB_PASSWORD }, 'named fields');
    // Secrets hidden in text: messages, URLs, errors and their stacks.
    logger.warn(`GET https://places.googleapis.com/v1/places/x?key=${MAPS_KEY}&fields=id failed`);
    logger.warn({ url: `https://maps.example/api?alt=json&key=other-key-value` }, 'a key in a URL');
    logger.error(
      new Error(`connect to postgres://editor:${DB_PASSWORD}@db.example:5432/staging refused`),
      'the store is unavailable',
    );
    logger.error({ detail: `header was Authorization: Bearer ${BEARER}` }, 'text header');
    logger.error({ secret: `signed with ${JWT_SECRET}` }, 'the JWT secret in text');
    logger.info(`sign in at http://127.0.0.1:8787/#token=${BEARER}`);
    logger.error({ detail: `the server said: wrong password ${DB_PASSWORD}` }, 'known value');
    await close();

    const text = readLog(dir);
    expect(text).toContain('a request');
    expect(text).toContain('the JWT secret in text');
    expect(text).toContain('db.example');
    expect(text).toContain(REDACTED);
    const logged = text.split('\n').find((l) => l.includes('the whole settings object'))!;
    expect(JSON.parse(logged).settings).toMatchObject({
      DATABASE_URL: REDACTED,
      JWT_SECRET: REDACTED,
      GOOGLE_MAPS_API_KEY: REDACTED,
    });
    for (const secret of [JWT_SECRET, MAPS_KEY, DB_PASSWORD, BEARER, 'other-key-value']) {
      expect(text, `the log holds ${secret}`).not.toContain(secret);
    }
    // Every line is still one JSON object.
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('takes settings saved while running: their level at once, their secrets scrubbed too', async () => {
    const dir = newDir();
    const before = loadSettings({ STAGING_EDITOR_DATA_DIR: root, LOG_LEVEL: 'info' });
    const log = createAppLogger({ settings: before, logsDir: dir, stderr: false });
    // A short made-up key the pattern scrubber doesn't know: only the settings' secret list can.
    const savedKey = 'plain-maps-key-saved-later';
    log.logger.debug('before: not written at info');
    log.update({ ...before, LOG_LEVEL: 'debug', GOOGLE_MAPS_API_KEY: savedKey });
    log.logger.debug({ note: `the key is ${savedKey}` }, 'after: written at debug');
    await log.close();
    const text = readLog(dir);
    expect(text).not.toContain('before: not written');
    expect(text).toContain('after: written at debug');
    expect(text).not.toContain(savedKey);
    expect(text).toContain(REDACTED);
  });

  it('holds the details of an internal error that the user is told are "in the log"', async () => {
    const dir = newDir();
    const settings = settingsWithSecrets();
    const { logger, close } = createAppLogger({ settings, logsDir: dir, stderr: false });
    const failing = async () => {
      throw Object.assign(
        new Error(`duplicate thing in postgres://editor:${DB_PASSWORD}@db.example/staging`),
        { code: 'XX001' },
      );
    };
    const dispatch = createDispatcher({
      verifier: { verify: async () => ({ userId: 'maria' }) } as never,
      handlers: new Proxy({}, { get: () => failing }) as Handlers,
      logger,
    });
    const result = await dispatch('health', {}, BEARER);
    await close();

    expect(result.ok).toBe(false);
    const body = (result as { error: { type: string; detail: string } }).error;
    expect(body.type).toBe('internal_error');
    expect(body.detail).toMatch(/details are in the log/);
    const line = JSON.parse(
      readLog(dir)
        .trim()
        .split('\n')
        .find((l) => l.includes('unexpected error'))!,
    ) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 50, operation: 'health', code: 'XX001' });
    expect(String(line.message)).toContain('duplicate thing');
    expect(String(line.stack)).toContain('log-files.test.ts');
    expect(JSON.stringify(line)).not.toContain(DB_PASSWORD);
  });

  it('is rotated when it reaches its size, keeping a bounded number of files', async () => {
    const dir = newDir();
    const stream = openLogFile(dir, { size: '1K', maxFiles: 2 });
    const line = `${'x'.repeat(300)}\n`;
    for (let i = 0; i < 40; i++) {
      await new Promise<void>((done) => stream.write(line, () => done()));
    }
    await new Promise<void>((done) => stream.end(() => done()));
    const rotated = readdirSync(dir).filter((f) =>
      /^staging-editor\.\d{4}-\d\d-\d\d\.\d+\.log$/.test(f),
    );
    expect(rotated).toHaveLength(2);
    expect(readdirSync(dir)).toContain(LOG_FILE_NAME);
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, LOG_FILE_NAME)).mode & 0o777).toBe(0o600);
    }
  });

  it("starts a new file when the app starts on a later day than the current file's", async () => {
    const dir = newDir();
    openLogFile(dir).end();
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(join(dir, LOG_FILE_NAME), 'yesterday\n');
    const yesterday = new Date(Date.now() - 36 * 3600 * 1000);
    utimesSync(join(dir, LOG_FILE_NAME), yesterday, yesterday);

    const stream = openLogFile(dir);
    await new Promise<void>((done) => stream.write('today\n', () => done()));
    await new Promise<void>((done) => stream.end(() => done()));
    expect(readLog(dir)).toBe('today\n');
    const rotated = readdirSync(dir).find((f) => f.startsWith('staging-editor.2'));
    expect(rotated).toBe(logFileName(yesterday, 1));
    expect(readFileSync(join(dir, rotated!), 'utf8')).toBe('yesterday\n');
  });
});

describe('where the log goes', () => {
  const settings = { dataDir: join(root, 'data') };

  it('desktop: always to files under the data folder; stderr in development or a terminal', () => {
    expect(desktopLogOutput(settings, { isPackaged: true, stderrIsTTY: false })).toEqual({
      logsDir: join(root, 'data', 'logs'),
      stderr: false,
    });
    expect(desktopLogOutput(settings, { isPackaged: false, stderrIsTTY: false }).stderr).toBe(true);
    expect(desktopLogOutput(settings, { isPackaged: true, stderrIsTTY: true }).stderr).toBe(true);
  });

  it('CLI: stderr unless LOG_DIR is set; then files, and stderr only under a terminal', () => {
    expect(cliLogOutput(settings, false)).toEqual({ logsDir: null, stderr: true });
    expect(cliLogOutput({ ...settings, LOG_DIR: '/var/log/se' }, false)).toEqual({
      logsDir: '/var/log/se',
      stderr: false,
    });
    expect(cliLogOutput({ ...settings, LOG_DIR: '/var/log/se' }, true).stderr).toBe(true);
  });

  it('LOG_DIR moves the files, relative to the working folder', () => {
    expect(logsDirectory({ ...settings, LOG_DIR: 'here/logs' })).toBe(resolve('here/logs'));
    expect(loadSettings({ LOG_DIR: '/srv/logs' }).LOG_DIR).toBe('/srv/logs');
  });

  it('names rotated files by their day and number', () => {
    expect(logFileName(null)).toBe(LOG_FILE_NAME);
    expect(logFileName(new Date(2025, 2, 4, 12), 2)).toBe('staging-editor.2025-03-04.2.log');
  });
});

describe('scrubSecrets', () => {
  it('takes out passwords in URLs, keys in query strings, bearer tokens and JWTs', () => {
    expect(scrubSecrets('postgresql://u:p%40ss@h/db')).toBe(`postgresql://u:${REDACTED}@h/db`);
    expect(scrubSecrets('https://x.example/?a=1&key=abc&b=2')).toBe(
      `https://x.example/?a=1&key=${REDACTED}&b=2`,
    );
    expect(scrubSecrets('Authorization: Bearer abc.def')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(scrubSecrets(`jwt ${BEARER} end`)).toBe(`jwt ${REDACTED} end`);
    expect(scrubSecrets('/v1?api_key=abc&access_token=def')).toBe(
      `/v1?api_key=${REDACTED}&access_token=${REDACTED}`,
    );
    expect(scrubSecrets(`a key ${MAPS_KEY.replace('0', '9')} in text`)).toBe(
      `a key ${REDACTED} in text`,
    );
    expect(scrubSecrets('monkey=banana key-value')).toBe('monkey=banana key-value');
  });

  it('takes out known values as written and as JSON escapes them', () => {
    expect(scrubSecrets('a "quoted\\"secret" b', ['quoted"secret'])).toBe(`a "${REDACTED}" b`);
    expect(scrubSecrets('tiny pw', ['pw'])).toBe('tiny pw');
  });
});

describe('the redacted fields', () => {
  it('hide secret-bearing fields even when no secret value was given to the logger', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const unknown = 'a-value-the-logger-was-never-told-about';
    logger.info({ settings: { JWT_SECRET: unknown, GOOGLE_MAPS_API_KEY: unknown } }, 'fields');
    logger.info({ DATABASE_URL: unknown, token: unknown, password: unknown }, 'top level');
    logger.info({ req: { headers: { authorization: unknown, cookie: unknown } } }, 'request');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(unknown);
  });
});
