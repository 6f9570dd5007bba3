import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pino, type DestinationStream, type StreamEntry } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { createLogger, secretsOf, type Logger } from './logger';

/** The file being written now; older days and full files are renamed beside it. */
export const LOG_FILE_NAME = 'staging-editor.log';
/** Where rotating-file-stream remembers which rotated files exist, to keep only `MAX_LOG_FILES`. */
export const LOG_HISTORY_FILE = 'rotation-history.txt';
/** A new file every day, and sooner when one reaches this size. */
export const LOG_FILE_MAX_SIZE = '10M';
/** Rotated files kept besides the current one: at most about 14 × 10 MB on disk. */
export const MAX_LOG_FILES = 14;

/** `<dataDir>/logs` unless LOG_DIR says otherwise (a relative LOG_DIR is taken from the cwd). */
export function logsDirectory(settings: { dataDir: string; LOG_DIR?: string | undefined }): string {
  if (settings.LOG_DIR)
    return isAbsolute(settings.LOG_DIR) ? settings.LOG_DIR : resolve(settings.LOG_DIR);
  return join(settings.dataDir, 'logs');
}

/**
 * The name of the current file (time null) or of a rotated one: the day its lines began, then a
 * number for a day that filled more than one file, e.g. `staging-editor.2025-03-14.1.log`.
 */
export function logFileName(time: number | Date | null, index?: number): string {
  if (time === null) return LOG_FILE_NAME;
  const day = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  return `staging-editor.${date}.${index ?? 1}.log`;
}

/**
 * The rotating log file in `dir` (created when missing). A file left from an earlier day is
 * rotated when the app starts (`initialRotation`), so a desktop app quit every evening still
 * gets one file a day, and the oldest beyond `maxFiles` are deleted at each rotation.
 */
export function openLogFile(
  dir: string,
  options: { size?: string; maxFiles?: number } = {},
): RotatingFileStream {
  mkdirSync(dir, { recursive: true });
  return createStream(logFileName as (time: number | Date, index?: number) => string, {
    path: dir,
    size: options.size ?? LOG_FILE_MAX_SIZE,
    interval: '1d',
    intervalBoundary: true,
    initialRotation: true,
    maxFiles: options.maxFiles ?? MAX_LOG_FILES,
    history: LOG_HISTORY_FILE,
    // Lines name places and reviewers: readable by this user only (Windows ignores the mode).
    mode: 0o600,
  });
}

export interface AppLogger {
  logger: Logger;
  /** The folder of the log files, or null when the log goes to stderr only. */
  logsDir: string | null;
  /**
   * Settings saved while running: the level applies at once, and the new settings' secrets are
   * scrubbed as well as the old ones (the folder stays until the next launch).
   */
  update(settings: Parameters<typeof secretsOf>[0] & { LOG_LEVEL: string }): void;
  /** Writes what is buffered and closes the file (the last thing before the process exits). */
  close(): Promise<void>;
}

/**
 * The logger of a whole process: rotating files in `logsDir` when given, stderr when asked (or
 * when there is no file), with every secret of the settings scrubbed from every line.
 */
export function createAppLogger(options: {
  settings: Parameters<typeof secretsOf>[0] & { LOG_LEVEL: string };
  logsDir: string | null;
  stderr: boolean;
}): AppLogger {
  const { settings, logsDir } = options;
  const file = logsDir ? openLogFile(logsDir) : null;
  const streams: StreamEntry[] = [];
  // Each stream takes every level: the logger's own level decides what is written.
  if (file) {
    // A full disk or a vanished folder must not take the app down with it.
    file.on('error', () => {});
    streams.push({ level: 'trace', stream: file });
  }
  if (options.stderr || !file) streams.push({ level: 'trace', stream: pino.destination(2) });
  const destination: DestinationStream =
    streams.length === 1 ? streams[0]!.stream : pino.multistream(streams);
  let secrets: readonly string[] = secretsOf(settings);
  const logger = createLogger(settings.LOG_LEVEL, destination, { secrets: () => secrets });
  return {
    logger,
    logsDir: file ? logsDir : null,
    update(next) {
      secrets = [...new Set([...secrets, ...secretsOf(next)])];
      logger.level = next.LOG_LEVEL;
    },
    close: () =>
      new Promise<void>((done) => {
        if (!file || file.writableFinished) return done();
        file.end(() => done());
      }),
  };
}

/**
 * The headless CLI's rule: stderr as before, files only when LOG_DIR is set, and then stderr as
 * well while someone is watching a terminal.
 */
export function cliLogOutput(
  settings: { dataDir: string; LOG_DIR?: string | undefined },
  stderrIsTTY: boolean,
): { logsDir: string | null; stderr: boolean } {
  if (!settings.LOG_DIR) return { logsDir: null, stderr: true };
  return { logsDir: logsDirectory(settings), stderr: stderrIsTTY };
}

/** The desktop app's rule: always files; stderr too in development or under a terminal. */
export function desktopLogOutput(
  settings: { dataDir: string; LOG_DIR?: string | undefined },
  options: { isPackaged: boolean; stderrIsTTY: boolean },
): { logsDir: string; stderr: boolean } {
  return {
    logsDir: logsDirectory(settings),
    stderr: !options.isPackaged || options.stderrIsTTY,
  };
}
