import { startBackend } from '../backend';
import type { Settings } from '../config';
import { errorSummary } from '../error-summary';
import { createLogger, secretsOf, type Logger } from '../logger';
import { serveBackend, type RelayPort } from './backend-relay';

/**
 * The backend process's side, with no electron import: it waits for main's `start` message,
 * opens the backend with those settings and serves it over the relay. backend-process.ts runs
 * it in Electron's utility process; the tests run it in a `child_process.fork` child.
 *
 * Logging: the backend process never opens the rotating log file (two processes rotating one
 * file would lose or interleave lines). Its logger writes each JSON line to main as a `log`
 * message, already scrubbed of the settings' secrets, and main writes it to the one log file
 * (`relayBackendLogLine`), marked `process: "backend"`.
 */

export interface StartMessage {
  kind: 'start';
  /**
   * The settings in force, as main validated them: the environment over the settings file,
   * secrets decrypted (safeStorage is main's). A restart from the settings screen starts a new
   * process with the new ones.
   */
  settings: Settings;
  /** Electron's build of better-sqlite3 under `npm start` (sqlite-binding.ts). */
  sqliteBinding?: string;
}

export function isStartMessage(message: unknown): message is StartMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Partial<StartMessage>;
  return (
    m.kind === 'start' &&
    typeof m.settings === 'object' &&
    m.settings !== null &&
    typeof m.settings.dataDir === 'string' &&
    typeof m.settings.LOG_LEVEL === 'string' &&
    (m.sqliteBinding === undefined || typeof m.sqliteBinding === 'string')
  );
}

export function hostBackend(
  port: RelayPort,
  deps: {
    exit: (code: number) => void;
    useSqliteBinding?: (path: string | undefined) => void;
  },
): void {
  let started = false;
  port.on('message', (message) => {
    if (started || !isStartMessage(message)) return;
    started = true;
    void start(message);
  });

  async function start(message: StartMessage): Promise<void> {
    let logger: Logger | undefined;
    try {
      deps.useSqliteBinding?.(message.sqliteBinding);
      const { settings } = message;
      logger = createLogger(
        settings.LOG_LEVEL,
        { write: (line: string) => port.postMessage({ kind: 'log', line }) },
        { secrets: secretsOf(settings) },
      );
      const backend = await startBackend(settings, { logger });
      serveBackend(port, backend, { logger, onClosed: () => deps.exit(0) });
    } catch (error) {
      logger?.error(errorSummary(error), 'the backend could not start');
      port.postMessage({ kind: 'failed', detail: errorSummary(error).message });
      deps.exit(1);
    }
  }
}

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Main's side: one JSON line of the backend's logger, written through main's logger. */
export function relayBackendLogLine(logger: Logger, line: string): void {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry !== 'object' || entry === null) throw new Error('not an object');
  } catch {
    logger.warn({ line: line.slice(0, 500) }, 'an unreadable log line from the backend');
    return;
  }
  const { level, time: _time, app: _app, hostname: _host, pid, msg, ...fields } = entry;
  const method = LEVELS[level as number] ?? 'info';
  logger[method](
    { ...fields, process: 'backend', backendPid: pid },
    typeof msg === 'string' ? msg : '',
  );
}
