import { MessageChannelMain, utilityProcess } from 'electron';
import { startBackend } from '../backend';
import type { Backend } from '../backend';
import type { Settings } from '../config';
import type { Logger } from '../logger';
import { relayBackendLogLine, type StartMessage } from './backend-host';
import type { RelayedBackend } from './backend-relay';
import {
  chooseBackendMode,
  createBackendSupervisor,
  type BackendProcess,
  type BackendStatus,
} from './backend-supervisor';

/** The desktop app's backend, wherever it runs: what main and the restartable backend use. */
export type LaunchedBackend = RelayedBackend &
  Pick<Backend, 'settings' | 'logger'> & { mode: 'utility' | 'in-process' };

/**
 * main.ts's one seam to the backend: in Electron's utility process (backend-process.ts, kept
 * running by the supervisor) or, when that is unavailable or STAGING_EDITOR_BACKEND=in-process,
 * in the main process. Resolves once the backend is ready; rejects with its start-up failure.
 * Each call starts a new backend: a settings change closes this one and launches another.
 */
export async function launchBackend(options: {
  settings: Settings;
  /** Main's environment: only its STAGING_EDITOR_BACKEND switch is read. */
  env: Record<string, string | undefined>;
  logger: Logger;
  sqliteBinding: string | undefined;
  /** The backend process's entry, built next to main's (out/main/backend-process.js). */
  entryPath: string;
  isPackaged: boolean;
  onStatus: (status: BackendStatus) => void;
}): Promise<LaunchedBackend> {
  const { logger, settings } = options;
  const mode = chooseBackendMode({
    env: options.env,
    hasUtilityProcess: typeof utilityProcess?.fork === 'function',
  });
  logger.info({ mode }, 'starting the backend');
  if (mode === 'in-process') {
    const backend = await startBackend(settings, { logger });
    return Object.assign(backend, { mode });
  }
  const start: StartMessage = { kind: 'start', settings, sqliteBinding: options.sqliteBinding };
  const supervisor = createBackendSupervisor({
    logger,
    onStatus: options.onStatus,
    onLog: (line) => relayBackendLogLine(logger, line),
    spawn: (): BackendProcess => {
      const child = utilityProcess.fork(options.entryPath, [], {
        serviceName: 'Staging Editor Backend',
        // An installed app has no usable stderr (Windows GUI); its log lines come over the port.
        stdio: options.isPackaged ? 'ignore' : 'inherit',
      });
      const { port1, port2 } = new MessageChannelMain();
      child.postMessage({ kind: 'connect' }, [port1]);
      port2.start();
      port2.postMessage(start);
      child.once('exit', () => port2.close());
      return {
        port: {
          postMessage: (message) => port2.postMessage(message),
          on: (_event, listener) => port2.on('message', (event) => listener(event.data)),
        },
        onExit: (listener) => child.once('exit', (code) => listener({ code })),
        kill: () => {
          child.kill();
        },
      };
    },
  });
  await supervisor.start();
  return Object.assign(supervisor, { mode, settings, logger });
}
