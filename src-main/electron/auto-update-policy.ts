/**
 * Automatic updates, decided without Electron: whether they are on, and the flow once they are
 * (check a while after start-up, ask before downloading, ask before restarting, log failures and
 * go on). auto-update.ts hands it electron-updater's autoUpdater and a native dialog.
 */

/** Where updates come from, or why there are none. */
export type UpdateFeed =
  | { enabled: true; source: 'environment'; url: string }
  | { enabled: true; source: 'build' }
  | { enabled: false; reason: string };

export const UPDATE_URL_VARIABLE = 'STAGING_EDITOR_UPDATE_URL';

/**
 * Updates are off unless a feed is configured: STAGING_EDITOR_UPDATE_URL (an https folder
 * holding electron-builder's latest*.yml and installers), or the app-update.yml a build with a
 * `publish` setting embeds. Never in development, where there is nothing to replace.
 */
export function updateFeed(options: {
  isPackaged: boolean;
  env: Record<string, string | undefined>;
  hasBuildFeed: boolean;
}): UpdateFeed {
  if (!options.isPackaged) {
    return { enabled: false, reason: 'a development build is not updated' };
  }
  const configured = options.env[UPDATE_URL_VARIABLE]?.trim();
  if (configured) {
    let url: URL;
    try {
      url = new URL(configured);
    } catch {
      return { enabled: false, reason: `${UPDATE_URL_VARIABLE} is not a URL` };
    }
    if (url.protocol !== 'https:') {
      return { enabled: false, reason: `${UPDATE_URL_VARIABLE} must be an https URL` };
    }
    return { enabled: true, source: 'environment', url: url.href };
  }
  if (options.hasBuildFeed) return { enabled: true, source: 'build' };
  return { enabled: false, reason: 'no update feed is configured' };
}

/** The parts of electron-updater's autoUpdater this flow uses. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(
    event: 'update-available' | 'update-downloaded',
    listener: (info: { version: string }) => void,
  ): unknown;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(): void;
}

export interface UpdateQuestion {
  message: string;
  detail: string;
  /** The first button says yes. */
  buttons: [string, string];
}

export function downloadQuestion(version: string): UpdateQuestion {
  return {
    message: `Staging Editor ${version} is available`,
    detail: 'Download it now? You can keep working while it downloads.',
    buttons: ['Download', 'Not now'],
  };
}

export function restartQuestion(version: string): UpdateQuestion {
  return {
    message: `Staging Editor ${version} is ready to install`,
    detail: 'Restart now to install it, or it will be installed when you next quit.',
    buttons: ['Restart now', 'Later'],
  };
}

interface UpdateLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** How long after start-up the first check waits: the window and the backend come first. */
export const FIRST_CHECK_DELAY_MS = 15_000;

/**
 * Starts the update flow for a feed: nothing at all when updates are off; else one check after
 * FIRST_CHECK_DELAY_MS, a question before downloading, a question before restarting. Never
 * throws and never blocks: every failure is logged, and the app goes on. Answers a function
 * that cancels a check not yet started.
 */
export function startUpdateFlow(options: {
  feed: UpdateFeed;
  updater: () => Promise<Updater>;
  ask: (question: UpdateQuestion) => Promise<boolean>;
  logger: UpdateLogger;
  delayMs?: number;
  setTimer?: (run: () => void, ms: number) => { unref?(): void };
  clearTimer?: (timer: { unref?(): void }) => void;
}): () => void {
  const { feed, ask, logger } = options;
  if (!feed.enabled) {
    logger.info({ reason: feed.reason }, 'automatic updates are off');
    return () => undefined;
  }
  const failed = (step: string) => (error: unknown) =>
    logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      `update ${step} failed`,
    );

  const run = async () => {
    const updater = await options.updater();
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = true;
    if (feed.source === 'environment') updater.setFeedURL({ provider: 'generic', url: feed.url });
    updater.on('error', failed('check'));
    let offered: string | undefined;
    updater.on('update-available', ({ version }) => {
      if (offered === version) return;
      offered = version;
      Promise.resolve()
        .then(() => ask(downloadQuestion(version)))
        .then((yes) => {
          if (!yes) return logger.info({ version }, 'update declined');
          logger.info({ version }, 'downloading the update');
          return updater.downloadUpdate();
        })
        .catch(failed('download'));
    });
    updater.on('update-downloaded', ({ version }) => {
      Promise.resolve()
        .then(() => ask(restartQuestion(version)))
        .then((yes) => {
          if (yes) updater.quitAndInstall();
          else logger.info({ version }, 'the update will be installed on quit');
        })
        .catch(failed('install'));
    });
    await updater.checkForUpdates();
  };

  const setTimer = options.setTimer ?? setTimeout;
  const timer = setTimer(() => {
    run().catch(failed('check'));
  }, options.delayMs ?? FIRST_CHECK_DELAY_MS);
  // A pending check never keeps the app from quitting.
  timer.unref?.();
  return () => (options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout)))(timer);
}
