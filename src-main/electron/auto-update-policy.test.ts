import { EventEmitter } from 'node:events';
import { describe, expect, test, vi } from 'vitest';
import {
  downloadQuestion,
  FIRST_CHECK_DELAY_MS,
  restartQuestion,
  startUpdateFlow,
  updateFeed,
  type UpdateFeed,
  type Updater,
} from './auto-update-policy';

describe('whether updates are on', () => {
  const packaged = { isPackaged: true, env: {}, hasBuildFeed: false };

  test('off unless a feed is configured', () => {
    expect(updateFeed(packaged)).toEqual({
      enabled: false,
      reason: 'no update feed is configured',
    });
  });

  test('on with STAGING_EDITOR_UPDATE_URL, an https folder', () => {
    const env = { STAGING_EDITOR_UPDATE_URL: ' https://updates.example.test/staging-editor/ ' };
    expect(updateFeed({ ...packaged, env })).toEqual({
      enabled: true,
      source: 'environment',
      url: 'https://updates.example.test/staging-editor/',
    });
  });

  test('off, saying why, for a feed that is not an https URL', () => {
    const plain = { STAGING_EDITOR_UPDATE_URL: 'http://updates.example.test/' };
    expect(updateFeed({ ...packaged, env: plain })).toEqual({
      enabled: false,
      reason: 'STAGING_EDITOR_UPDATE_URL must be an https URL',
    });
    const garbled = { STAGING_EDITOR_UPDATE_URL: 'updates' };
    expect(updateFeed({ ...packaged, env: garbled })).toMatchObject({ enabled: false });
  });

  test("on with the feed a build embeds (electron-builder's app-update.yml)", () => {
    expect(updateFeed({ ...packaged, hasBuildFeed: true })).toEqual({
      enabled: true,
      source: 'build',
    });
  });

  test('never in development', () => {
    const env = { STAGING_EDITOR_UPDATE_URL: 'https://updates.example.test/' };
    expect(updateFeed({ isPackaged: false, env, hasBuildFeed: true })).toMatchObject({
      enabled: false,
    });
  });
});

/** electron-updater's autoUpdater as the flow sees it: events, and calls recorded. */
class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  feedUrl: string | undefined;
  checks = 0;
  downloads = 0;
  installs = 0;
  checkResult: () => Promise<unknown> = async () => null;
  setFeedURL(options: { url: string }) {
    this.feedUrl = options.url;
  }
  checkForUpdates() {
    this.checks += 1;
    return this.checkResult();
  }
  async downloadUpdate() {
    this.downloads += 1;
    return [];
  }
  quitAndInstall() {
    this.installs += 1;
  }
}

function harness(feed: UpdateFeed, answers: boolean[] = []) {
  const updater = new FakeUpdater();
  const questions: string[] = [];
  const logged: { level: string; message: string; details: object }[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const loadUpdater = vi.fn(async () => updater);
  startUpdateFlow({
    feed,
    updater: loadUpdater,
    ask: async (question) => {
      questions.push(question.message);
      return answers.shift() ?? false;
    },
    logger: {
      info: (details, message) => logged.push({ level: 'info', message, details }),
      warn: (details, message) => logged.push({ level: 'warn', message, details }),
    },
    setTimer: (run, ms) => {
      timers.push({ run, ms });
      return {};
    },
  });
  const settle = () => new Promise((done) => setTimeout(done, 0));
  return { updater, questions, logged, timers, loadUpdater, settle };
}

const fromEnvironment: UpdateFeed = {
  enabled: true,
  source: 'environment',
  url: 'https://updates.example.test/',
};

describe('the update flow', () => {
  test('does nothing when updates are off, not even load electron-updater', () => {
    const { timers, loadUpdater, logged } = harness({ enabled: false, reason: 'no feed' });
    expect(timers).toEqual([]);
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(logged).toEqual([
      { level: 'info', message: 'automatic updates are off', details: { reason: 'no feed' } },
    ]);
  });

  test('never blocks start-up: the first check waits, on a timer', async () => {
    const { timers, updater, loadUpdater, settle } = harness(fromEnvironment);
    expect(timers.map((timer) => timer.ms)).toEqual([FIRST_CHECK_DELAY_MS]);
    expect(loadUpdater).not.toHaveBeenCalled();
    timers[0]!.run();
    await settle();
    expect(updater.checks).toBe(1);
    expect(updater.feedUrl).toBe('https://updates.example.test/');
    // Downloads wait for a yes; an accepted download installs on quit at the latest.
    expect(updater.autoDownload).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(true);
  });

  test('asks before downloading, and downloads nothing on "Not now"', async () => {
    const { timers, updater, questions, settle } = harness(fromEnvironment, [false]);
    timers[0]!.run();
    await settle();
    updater.emit('update-available', { version: '0.2.0' });
    await settle();
    expect(questions).toEqual([downloadQuestion('0.2.0').message]);
    expect(updater.downloads).toBe(0);
  });

  test('downloads on yes, then asks before restarting to install', async () => {
    const { timers, updater, questions, settle } = harness(fromEnvironment, [true, true]);
    timers[0]!.run();
    await settle();
    updater.emit('update-available', { version: '0.2.0' });
    await settle();
    expect(updater.downloads).toBe(1);
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    expect(questions).toEqual([
      downloadQuestion('0.2.0').message,
      restartQuestion('0.2.0').message,
    ]);
    expect(updater.installs).toBe(1);
  });

  test('does not restart on "Later": the update waits for the next quit', async () => {
    const { timers, updater, logged, settle } = harness(fromEnvironment, [true, false]);
    timers[0]!.run();
    await settle();
    updater.emit('update-available', { version: '0.2.0' });
    await settle();
    updater.emit('update-downloaded', { version: '0.2.0' });
    await settle();
    expect(updater.installs).toBe(0);
    expect(logged.at(-1)?.message).toBe('the update will be installed on quit');
  });

  test('keeps the build feed when the build embeds one', async () => {
    const { timers, updater, settle } = harness({ enabled: true, source: 'build' });
    timers[0]!.run();
    await settle();
    expect(updater.checks).toBe(1);
    expect(updater.feedUrl).toBeUndefined();
  });

  test('only logs errors: a failed check, an error event, a failing question', async () => {
    const { timers, updater, logged, settle } = harness(fromEnvironment);
    updater.checkResult = async () => {
      throw new Error('getaddrinfo ENOTFOUND updates.example.test');
    };
    timers[0]!.run();
    await settle();
    updater.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
    expect(logged.filter((entry) => entry.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'update check failed',
        details: { error: 'getaddrinfo ENOTFOUND updates.example.test' },
      },
      {
        level: 'warn',
        message: 'update check failed',
        details: { error: 'net::ERR_INTERNET_DISCONNECTED' },
      },
    ]);
  });

  test('a question that throws is logged, not thrown into the updater', async () => {
    const updater = new FakeUpdater();
    const warnings: string[] = [];
    const timers: (() => void)[] = [];
    startUpdateFlow({
      feed: fromEnvironment,
      updater: async () => updater,
      ask: () => {
        throw new Error('no window');
      },
      logger: { info: () => undefined, warn: (_details, message) => warnings.push(message) },
      setTimer: (run) => {
        timers.push(run);
        return {};
      },
    });
    timers[0]!();
    await new Promise((done) => setTimeout(done, 0));
    expect(() => updater.emit('update-available', { version: '0.2.0' })).not.toThrow();
    await new Promise((done) => setTimeout(done, 0));
    expect(warnings).toEqual(['update download failed']);
    expect(updater.downloads).toBe(0);
  });
});
