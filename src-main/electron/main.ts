import { userInfo } from 'node:os';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';
import { SettingsError, type Settings } from '../config';
import { relaunchReason } from '../settings/change-effects';
import { createRestartableBackend, type RestartableBackend } from '../settings/restartable-backend';
import { createSettingsService, withSettingsOperations } from '../settings/service';
import { SETTINGS_FILE, SettingsFileError } from '../settings/settings-file';
import { developmentSqliteBinding, useSqliteNativeBinding } from '../db/sqlite-binding';
import { errorStack, errorSummary } from '../error-summary';
import { createAppLogger, desktopLogOutput, type AppLogger } from '../log-files';
import { applicationMenuTemplate, openLogsFolderFailure } from './app-menu';
import { startAutoUpdate } from './auto-update';
import { launchBackend, type LaunchedBackend } from './backend-launch';
import type { BackendStatus } from './backend-supervisor';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol';
import type { MenuCommand } from '../../src-shared/menu-commands';
import { EVENT_CHANNEL, INVOKE_CHANNEL, MENU_COMMAND_CHANNEL, SET_TOKEN_CHANNEL } from './channels';
import { userDataDir } from './data-folder';
import { createExternalOpener } from './external-links';
import { createInvokeHandler, createSetTokenHandler, type IpcSender } from './ipc-bridge';
import {
  createLocalSessionToken,
  createSignedInSessionToken,
  desktopUserName,
  type SessionToken,
  type SignedInSessionToken,
} from './session-token';
import { rendererSource } from './renderer-source';
import { settingsEncryptor } from './settings-encryptor';
import { createShutdown } from './shutdown';
import { createTokenStore, sessionOnlyNotice, TOKEN_FILE } from './token-store';
import { denyAllPermissions, guardWebContents } from './web-contents-guards';
import { downloadAllowed, downloadSaveOptions } from './downloads';
import { mainWindowOptions } from './window-options';
import {
  placeWindow,
  readWindowStateFile,
  WINDOW_STATE_FILE,
  windowStateToSave,
  writeWindowStateFile,
} from './window-state';

/**
 * The desktop shell: one window on the built renderer, served over app://, talking to the
 * bundled backend through the preload bridge. Everything that decides something about security
 * lives in a pure module next to this one (and is tested in Node); this file only wires it up.
 */

const rendererDir = join(import.meta.dirname, '../renderer');
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
// The backend's own process (utility process) entry, built next to this one.
const backendEntryPath = join(import.meta.dirname, 'backend-process.js');
// The built renderer over app://, or in development electron-vite's dev server (hot reload).
const renderer = rendererSource({ isPackaged: app.isPackaged, env: process.env });

// Before 'ready': the scheme's privileges, the sandbox for every renderer, and one data folder
// for Chromium's files and the backend's (STAGING_EDITOR_DATA_DIR moves both, for a test run; a
// relative one is taken from the working directory). The app keeps its product name, "Staging
// Editor" (package.json), for menus; only the folder is named staging-editor.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
app.setPath(
  'userData',
  userDataDir({
    override: process.env.STAGING_EDITOR_DATA_DIR,
    cwd: process.cwd(),
    appData: app.getPath('appData'),
  }),
);

let mainWindow: BrowserWindow | null = null;
/** The log files (and stderr in development); null until the settings are read. */
let appLog: AppLogger | null = null;

if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusMainWindow);
  run().catch((error: unknown) => {
    appLog?.logger.fatal({ ...errorSummary(error), stack: errorStack(error) }, 'start-up failed');
    return failToStart(`Unexpected error: ${errorSummary(error).message}`);
  });
} else {
  // Another copy is running and has been asked to show itself.
  app.quit();
}

async function run(): Promise<void> {
  await app.whenReady();

  // --- settings: the environment over settings.json in the data folder (settings screen) ---
  const env = { ...process.env, STAGING_EDITOR_DATA_DIR: app.getPath('userData') };
  let restartable: RestartableBackend<LaunchedBackend> | undefined;
  const settingsService = createSettingsService({
    env,
    filePath: join(app.getPath('userData'), SETTINGS_FILE),
    encryptor: await settingsEncryptor(safeStorage),
    policy: { canChange: true, readOnlyReason: null },
    apply: async (next) => {
      // The backend restarts with them (a new backend process); the log level applies at once;
      // the few that main decided at launch ask for the app to restart.
      const previous = restartable!.settings;
      await restartable!.restart(next);
      appLog?.update(next);
      const reason = relaunchReason(previous, next);
      if (reason) askToRelaunch(reason);
    },
  });
  let settings: Settings;
  let settingsProblems: string[];
  try {
    ({ settings, problems: settingsProblems } = await settingsService.load());
  } catch (error) {
    if (error instanceof SettingsError || error instanceof SettingsFileError) {
      return failToStart(error.message);
    }
    throw error;
  }
  // --- end settings ---
  // `npm start` keeps Node's better-sqlite3 in node_modules and names Electron's build here
  // (for the backend process, and for this one when the backend runs in-process).
  const sqliteBinding = developmentSqliteBinding({ isPackaged: app.isPackaged, env: process.env });
  useSqliteNativeBinding(sqliteBinding);
  if (app.isPackaged && !process.env.STAGING_EDITOR_SQL_DIR) {
    process.env.STAGING_EDITOR_SQL_DIR = join(process.resourcesPath, 'sql');
  }

  // The installed app has no terminal (and on Windows no valid stderr): its log is in files.
  const log = createAppLogger({
    settings,
    ...desktopLogOutput(settings, {
      isPackaged: app.isPackaged,
      stderrIsTTY: Boolean(process.stderr.isTTY),
    }),
  });
  appLog = log;
  const { logger } = log;
  const logsDir = log.logsDir!;
  logger.info({ version: app.getVersion(), platform: process.platform, logsDir }, 'starting');
  process.on('unhandledRejection', (reason) => {
    logger.error({ ...errorSummary(reason), stack: errorStack(reason) }, 'unhandled rejection');
  });

  for (const problem of settingsProblems) logger.warn(problem);

  let backend: RestartableBackend<LaunchedBackend>;
  try {
    // The backend (store, dispatcher, scheduler) runs in a utility process, so SQLite and
    // migrations never freeze the window; a supervisor restarts it if it dies and the window is
    // told (backendStatus). Saving settings starts a new one (not a new app); the window keeps
    // its bridge throughout.
    restartable = await createRestartableBackend(settings, (next) =>
      launchBackend({
        settings: next,
        env: process.env,
        logger,
        sqliteBinding,
        entryPath: backendEntryPath,
        isPackaged: app.isPackaged,
        onStatus: sendBackendStatus,
      }),
    );
    backend = withSettingsOperations(restartable, settingsService, { requireToken: false });
  } catch (error) {
    logger.fatal(
      { ...errorSummary(error), stack: errorStack(error) },
      'the backend could not start',
    );
    return failToStart(`The backend could not start: ${errorSummary(error).message}`);
  }

  let sessionToken: SessionToken;
  let signedInToken: SignedInSessionToken | null = null;
  if (backend.authMode === 'local') {
    sessionToken = createLocalSessionToken({
      issue: (sub, ttl) => backend.issueLocalToken(sub, ttl),
      sub: desktopUserName(userInfo, process.env),
    });
  } else {
    const store = createTokenStore({
      filePath: join(app.getPath('userData'), TOKEN_FILE),
      encryption: safeStorage,
    });
    let saved: string | undefined;
    try {
      saved = await store.load();
    } catch (error) {
      // The sign-in screen appears on the first 401, which is the way out of this.
      logger.warn({ error: (error as Error).message }, 'ignoring the saved token');
    }
    sessionToken = signedInToken = createSignedInSessionToken(store, saved, {
      onSessionOnly: () => {
        logger.warn('no keyring: the sign-in token is kept in memory for this session only');
        showSessionOnlyNotice();
      },
    });
  }

  const stopForwardingEvents = backend.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) {
      mainWindow.webContents.send(EVENT_CHANNEL, { name, payload });
    }
  });

  const shutdown = createShutdown(async () => {
    stopForwardingEvents();
    await backend.close();
  });
  app.on('before-quit', (event) => {
    if (shutdown.finished) return;
    event.preventDefault();
    shutdown
      .run()
      .catch((error: unknown) =>
        logger.error(errorSummary(error), 'the backend did not close cleanly'),
      )
      .finally(() => {
        logger.info('stopped');
        void log.close().finally(() => app.quit());
      });
  });
  process.once('SIGINT', () => app.quit());
  process.once('SIGTERM', () => app.quit());

  const openExternalSafely = createExternalOpener({
    openExternal: (url) => shell.openExternal(url),
    logger,
  });
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, openExternalSafely, renderer.devOrigin),
  );
  denyAllPermissions(session.defaultSession);
  session.defaultSession.on('will-download', (event, item) => {
    if (!downloadAllowed(item.getURL(), renderer.devOrigin)) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(downloadSaveOptions(item.getFilename(), app.getPath('downloads')));
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir));

  const invoke = createInvokeHandler({
    dispatch: backend.dispatch,
    sessionToken,
    isClosing: () => shutdown.started,
    logger,
    devOrigin: renderer.devOrigin,
  });
  const setToken = createSetTokenHandler({
    sessionToken: signedInToken,
    logger,
    devOrigin: renderer.devOrigin,
  });
  ipcMain.handle(INVOKE_CHANNEL, (event, name: unknown, input: unknown) =>
    invoke(senderOf(event), name, input),
  );
  ipcMain.handle(SET_TOKEN_CHANNEL, (event, token: unknown) => setToken(senderOf(event), token));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate({
        platform: process.platform,
        isDev: !app.isPackaged,
        onCommand: (command) =>
          sendMenuCommand(command, () => {
            if (!shutdown.started) createMainWindow(backend);
          }),
        onOpenLogsFolder: () => openLogsFolder(logsDir),
      }),
    ),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow && !shutdown.started) createMainWindow(backend);
  });
  createMainWindow(backend);

  // Off unless a feed is configured; the first check comes well after the window.
  const cancelUpdateCheck = startAutoUpdate({ logger, window: () => mainWindow });
  app.once('before-quit', cancelUpdateCheck);
}

function createMainWindow(backend: Pick<LaunchedBackend, 'logger'>): void {
  const { logger } = backend;
  const statePath = join(app.getPath('userData'), WINDOW_STATE_FILE);
  let saved: unknown;
  try {
    saved = readWindowStateFile(statePath);
  } catch (error) {
    logger.warn({ error: (error as Error).message }, 'ignoring the saved window position');
  }
  const placement = placeWindow(saved, {
    workAreas: screen.getAllDisplays().map((display) => display.workArea),
    primary: screen.getPrimaryDisplay().workArea,
  });
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath,
      bounds: placement.bounds,
      dark: nativeTheme.shouldUseDarkColors,
      devTools: !app.isPackaged,
    }),
  );
  mainWindow = window;
  if (placement.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    try {
      writeWindowStateFile(
        statePath,
        windowStateToSave(window.getNormalBounds(), window.isMaximized()),
      );
    } catch (error) {
      logger.warn({ error: (error as Error).message }, 'could not save the window position');
    }
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.loadURL(renderer.entryUrl).catch((error: unknown) => {
    logger.error(errorSummary(error), 'the window could not load the app');
  });
}

/** The backend process stopped, runs again, or was given up on: the window shows it. */
function sendBackendStatus(status: BackendStatus): void {
  const window = mainWindow;
  if (window && !window.isDestroyed()) {
    window.webContents.send(EVENT_CHANNEL, { name: 'backendStatus', payload: status });
  }
}

/** Settings that main decided at launch changed: offer to restart the app now. */
function askToRelaunch(reason: string): void {
  const options = {
    type: 'info' as const,
    message: 'Restart Staging Editor?',
    detail: reason,
    buttons: ['Restart Now', 'Later'],
    defaultId: 0,
    cancelId: 1,
  };
  const window = mainWindow;
  void (
    window && !window.isDestroyed()
      ? dialog.showMessageBox(window, options)
      : dialog.showMessageBox(options)
  ).then(({ response }) => {
    if (response !== 0) return;
    app.relaunch();
    app.quit();
  });
}

/** Main's view of an IPC sender: is it the main window's top frame, and what does it show? */
function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  const window = mainWindow;
  if (!frame || !window || window.isDestroyed() || event.sender !== window.webContents) {
    return { url: undefined, isMainFrame: false };
  }
  try {
    const top = window.webContents.mainFrame;
    const isMainFrame =
      frame.parent === null &&
      frame.processId === top.processId &&
      frame.routingId === top.routingId;
    return { url: frame.url, isMainFrame };
  } catch {
    // A frame disposed mid-call throws on access: it is no trusted sender.
    return { url: undefined, isMainFrame: false };
  }
}

function focusMainWindow(): void {
  const window = mainWindow;
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * A menu command the page carries out (src-shared/menu-commands.ts), sent to the window brought
 * to the front. With no window (macOS keeps the app running without one), the menu opens a new
 * window instead: the page is not listening yet, so the command itself is not sent.
 */
function sendMenuCommand(command: MenuCommand, openWindow: () => void): void {
  const window = mainWindow;
  if (!window || window.isDestroyed()) {
    openWindow();
    return;
  }
  focusMainWindow();
  window.webContents.send(MENU_COMMAND_CHANNEL, command);
}

/** Help > Open Logs Folder: the system's file manager, or where the folder is when it can't. */
function openLogsFolder(logsDir: string): void {
  void shell.openPath(logsDir).then((result) => {
    const failure = openLogsFolderFailure(result, logsDir);
    if (!failure) return;
    appLog?.logger.warn({ error: result }, 'could not open the logs folder');
    showMessage({ type: 'warning', ...failure });
  });
}

/** Said once, the first time a sign-in is kept in memory only (no keyring). */
function showSessionOnlyNotice(): void {
  showMessage({
    type: 'info',
    message: 'Signed in for this session',
    detail: sessionOnlyNotice(process.platform),
  });
}

function showMessage(options: Electron.MessageBoxOptions): void {
  const window = mainWindow;
  void (window && !window.isDestroyed()
    ? dialog.showMessageBox(window, options)
    : dialog.showMessageBox(options));
}

/**
 * One sentence in a native dialog, then out: nothing has been opened that needs closing but the
 * log file, which is flushed first so the details it holds are there.
 */
function failToStart(sentence: string): void {
  dialog.showErrorBox('Staging Editor could not start', sentence);
  void (appLog?.close() ?? Promise.resolve()).finally(() => app.exit(1));
}
