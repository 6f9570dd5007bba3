import { join } from 'node:path';
import { isTeamMode, type Settings } from '../config';
import { describeDatabaseUrl } from '../db/store';
import { NOT_TEAM_MODE } from '../sync/service';
import { CommandError } from './command-error';
import { startBackend } from '../backend';
import { createHttpServer } from '../http/server';
import { NO_API_KEY_REASON } from '../scan';
import { cliLogOutput, createAppLogger } from '../log-files';
import { createRestartableBackend } from '../settings/restartable-backend';
import {
  createSettingsService,
  SERVE_READ_ONLY_REASON,
  withSettingsOperations,
} from '../settings/service';
import { SETTINGS_FILE, SettingsFileError } from '../settings/settings-file';

export interface ServeOptions {
  port: number;
  host: string;
  scheduler: boolean;
  /** Team mode: serve the replica, decisions wait in the outbox (`--offline`). */
  offline?: boolean;
  /** Browser users may change the server's settings (`--allow-settings`); read-only otherwise. */
  allowSettings?: boolean;
}

/** `staging-editor serve`: the HTTP API and renderer until SIGTERM or SIGINT. */
export async function serve(envSettings: Settings, options: ServeOptions): Promise<void> {
  // The settings file in the data folder under the environment. `serve` has no keyring: secrets
  // come from the environment only (see settings-file.ts).
  const settingsService = createSettingsService({
    env: process.env,
    filePath: join(envSettings.dataDir, SETTINGS_FILE),
    encryptor: null,
    policy: options.allowSettings
      ? { canChange: true, readOnlyReason: null }
      : { canChange: false, readOnlyReason: SERVE_READ_ONLY_REASON },
    // Called only after `restartable` below exists (a save comes over HTTP). The log level
    // applies at once; a moved LOG_DIR at the next start.
    apply: async (next) => {
      await restartable.restart(next);
      log.update(next);
    },
  });
  const loaded = await settingsService.load().catch((error: unknown) => {
    throw error instanceof SettingsFileError ? new CommandError(error.message) : error;
  });
  const settings = loaded.settings;
  if (options.offline && !isTeamMode(settings))
    throw new CommandError(`--offline: ${NOT_TEAM_MODE}`);
  // stderr as always; rotating files as well (or instead, without a terminal) when LOG_DIR is set.
  const log = createAppLogger({
    settings,
    ...cliLogOutput(settings, Boolean(process.stderr.isTTY)),
  });
  for (const problem of loaded.problems) log.logger.warn(problem);
  const restartable = await createRestartableBackend(settings, (next) =>
    startBackend(next, {
      scheduler: options.scheduler,
      offline: options.offline ?? false,
      logger: log.logger,
    }),
  ).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });
  const backend = withSettingsOperations(restartable, settingsService, { requireToken: true });
  const app = await createHttpServer(backend);
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  console.log(
    backend.sync
      ? `Staging Editor is serving team mode (${describeDatabaseUrl(settings.DATABASE_URL!)} with this computer's replica ${backend.store.description}${options.offline ? ', offline by choice' : ''}) at ${url}`
      : `Staging Editor is serving ${backend.store.description} at ${url}`,
  );
  if (backend.authMode === 'local') {
    const token = await backend.issueLocalToken('local-user', 12 * 3600);
    console.log(`Sign in (single-user mode, valid 12 hours): ${url}/#token=${token}`);
  }
  if (log.logsDir) console.log(`Logs: ${log.logsDir}`);
  if (!options.scheduler) console.log('Deep scans: not run by this process (--no-scheduler).');
  else if (!backend.scan.running) console.log(`Deep scans: off. ${NO_API_KEY_REASON}.`);
  else console.log(`Deep scans: running here as ${backend.scan.workerId}.`);

  let stopping = false;
  const stop = async (signal: string) => {
    // A second signal cuts the scans' grace period short.
    if (stopping) return void backend.scan.stop(0);
    stopping = true;
    backend.logger.info({ signal }, 'stopping');
    await app.close();
    await backend.close();
    await log.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
