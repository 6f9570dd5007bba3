import { Presets, SingleBar } from 'cli-progress';
import { isTeamMode, type Settings } from '../config';
import { openSqlite, openStore, describeDatabaseUrl, type PgStore } from '../db/store';
import { errorSummary } from '../error-summary';
import { unansweredCount } from '../sync/push';
import { describePreview, describeSync, previewOutbox, syncOnce } from '../sync/run';
import { NOT_TEAM_MODE } from '../sync/service';
import { CommandError } from './command-error';

export interface SyncCommandOptions {
  dryRun: boolean;
  /** Where progress goes (stderr); the summary line goes to stdout. */
  progress?: NodeJS.WritableStream;
}

/**
 * `staging-editor sync [--dry-run]`: push this computer's outbox to the shared store, then pull.
 * Prints progress and one summary line; exits 0 when done (conflicts included), non-zero with one
 * sentence when PostgreSQL is unreachable. Safe to kill at any instant and to run again: the push
 * marks decisions sent before sending and the server applies each id once; the pull writes each
 * page with its cursor in one transaction.
 */
export async function runSync(settings: Settings, options: SyncCommandOptions): Promise<void> {
  if (!isTeamMode(settings)) throw new CommandError(NOT_TEAM_MODE);
  const replica = openSqlite(settings.SQLITE_PATH!);
  let shared: PgStore | null = null;
  try {
    const waiting = unansweredCount(replica);
    const where = describeDatabaseUrl(settings.DATABASE_URL!);
    const unreachable = (error: unknown) =>
      new CommandError(
        `Cannot reach the shared store (${where}): ${errorSummary(error).message.replace(/^Cannot open [^:]*: /, '')}. ${waiting === 1 ? 'Your 1 unsynced decision stays' : `Your ${waiting} unsynced decisions stay`} on this computer; run the sync again when it answers.`,
      );
    try {
      shared = (await openStore(settings)) as PgStore;
    } catch (error) {
      throw unreachable(error);
    }
    if (options.dryRun) {
      console.log(describePreview(await previewOutbox(shared, replica)));
      return;
    }
    const bar = new SingleBar(
      {
        format: '{phase} {bar} {value}/{total}',
        stream: options.progress ?? process.stderr,
        noTTYOutput: false,
      },
      Presets.shades_classic,
    );
    let phase = '';
    const show = (name: string) => (p: { done: number; total: number }) => {
      if (phase !== name) {
        if (phase) bar.stop();
        phase = name;
        bar.start(p.total, p.done, { phase: name });
      } else {
        bar.setTotal(p.total);
        bar.update(p.done);
      }
    };
    let result;
    try {
      result = await syncOnce(shared, replica, {
        locations: settings.SYNC_LOCATIONS ?? null,
        onPushProgress: show('Pushing decisions'),
        onPullProgress: show('Pulling changes  '),
      });
    } finally {
      if (phase) bar.stop();
    }
    if (result.push.stopped) {
      if (result.push.stopped.temporary) throw unreachable(new Error(result.push.stopped.error));
      throw new CommandError(describeSync(result));
    }
    console.log(describeSync(result));
  } finally {
    await shared?.close();
    await replica.close();
  }
}
