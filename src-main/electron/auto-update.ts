import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { Logger } from '../logger';
import {
  startUpdateFlow,
  updateFeed,
  type Updater,
  type UpdateQuestion,
} from './auto-update-policy';

/**
 * electron-updater, wired to the pure flow in auto-update-policy.ts: off unless a feed is
 * configured, a native question before downloading and before restarting, errors to the log.
 * electron-updater is only loaded once updates are on and the first check is due.
 */
export function startAutoUpdate(options: {
  logger: Logger;
  window: () => BrowserWindow | null;
}): () => void {
  const { logger } = options;
  const feed = updateFeed({
    isPackaged: app.isPackaged,
    env: process.env,
    hasBuildFeed: app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml')),
  });
  return startUpdateFlow({
    feed,
    logger,
    updater: async () => {
      // electron-updater is CommonJS whose exports are getters: take them from the default.
      const loaded = (await import('electron-updater')) as typeof import('electron-updater') & {
        default?: typeof import('electron-updater');
      };
      const autoUpdater = (loaded.default ?? loaded).autoUpdater;
      autoUpdater.logger = {
        info: (message: unknown) => logger.debug({ updater: String(message) }, 'electron-updater'),
        warn: (message: unknown) => logger.warn({ updater: String(message) }, 'electron-updater'),
        error: (message: unknown) => logger.warn({ updater: String(message) }, 'electron-updater'),
        debug: (message: string) => logger.debug({ updater: message }, 'electron-updater'),
      };
      return autoUpdater as unknown as Updater;
    },
    ask: async (question: UpdateQuestion) => {
      const window = options.window();
      const box = { type: 'info' as const, ...question, defaultId: 0, cancelId: 1 };
      const { response } =
        window && !window.isDestroyed()
          ? await dialog.showMessageBox(window, box)
          : await dialog.showMessageBox(box);
      return response === 0;
    },
  });
}
