import { Command, InvalidArgumentError } from 'commander';
import { issueLocalToken, parseTtl } from './auth';
import { loadSettings, SettingsError } from './config';
import { migrateStore } from './db/store';
import { errorSummary } from './error-summary';
import { exportPlaces } from './cli/export';
import { importFile } from './cli/import';
import { seedPlaces } from './cli/seed';
import { serve } from './cli/serve';
import { runWorker } from './cli/worker';
import { CommandError } from './cli/command-error';
import { runSync } from './cli/sync';
import { printSpend } from './cli/spend';
import { appVersion } from './version';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number of at least 1.');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be a port from 0 to 65535.');
  return n;
}

function ttl(value: string): number {
  try {
    return parseTtl(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const program = new Command('staging-editor')
  .description('Staging Editor: triage business leads; the bundled backend, headless.')
  .version(appVersion())
  .showHelpAfterError();

program
  .command('migrate')
  .description('apply the pending sql/ scripts to the configured store (DATABASE_URL, else SQLite)')
  .action(async () => {
    const report = await migrateStore(loadSettings());
    console.log(
      report.applied.length
        ? `Applied ${report.applied.join(', ')} to ${report.description}.`
        : `${report.description} is up to date (${report.alreadyApplied.length} scripts applied before).`,
    );
  });

program
  .command('seed')
  .description('insert realistic, deterministic sample places')
  .requiredOption('--count <n>', 'how many places', positiveInt)
  .option('--seed <s>', 'the generator seed: the same seed gives the same places', positiveInt, 1)
  .action(async (options: { count: number; seed: number }) => {
    await seedPlaces(loadSettings(), options.count, options.seed);
  });

program
  .command('import')
  .description(
    'import places from a CSV or JSON file (at least a place id and a name column); places already in the store are skipped',
  )
  .argument('<file>', 'the file: CSV with a header row, or a JSON array of objects')
  .option('--skip-invalid', 'import the valid rows even when some rows are invalid')
  .action(async (file: string, options: { skipInvalid?: boolean }) => {
    await importFile(loadSettings(), file, { skipInvalid: options.skipInvalid ?? false });
  });

program
  .command('export')
  .description(
    "write the places of a filter, with what their deep scans found, as CSV (the app's Export)",
  )
  .option('--status <status>', 'only places with this status, e.g. Selected')
  .option(
    '--scan <state>',
    'only places in this deep scan state: Queued, Processing, Completed, Error or none',
  )
  .option('--search <text>', 'only places that match this search, as in the grid')
  .option('--out <file>', 'the CSV file to write (standard output when absent)')
  .action(async (options: { status?: string; scan?: string; search?: string; out?: string }) => {
    await exportPlaces(loadSettings(), options);
  });

program
  .command('token')
  .description('print a token signed by the local key (single-user mode: no JWT_* setting)')
  .requiredOption('--sub <id>', 'the user id the token names (written to updated_by)')
  .option('--ttl <duration>', 'how long it is valid: 90s, 15m, 1h, 7d', ttl, 3600)
  .action(async (options: { sub: string; ttl: number }) => {
    console.log(
      await issueLocalToken(loadSettings(), { sub: options.sub, ttlSeconds: options.ttl }),
    );
  });

program
  .command('serve')
  .description('serve the v3 HTTP API and the renderer for browsers')
  .option('--port <port>', 'TCP port', port, 8787)
  .option('--host <host>', 'interface to bind (loopback by default)', '127.0.0.1')
  .option('--no-scheduler', 'do not run the deep scan loop in this process')
  .option('--offline', "team mode: work on this computer's replica; decisions wait in the outbox")
  .option('--allow-settings', "let signed-in browser users change the server's settings file")
  .action(
    async (options: {
      port: number;
      host: string;
      scheduler: boolean;
      offline?: boolean;
      allowSettings?: boolean;
    }) => {
      await serve(loadSettings(), options);
    },
  );

program
  .command('sync')
  .description(
    "team mode: push this computer's offline decisions to the shared store, then pull its changes",
  )
  .option('--dry-run', 'say how many decisions would apply or conflict; send nothing')
  .action(async (options: { dryRun?: boolean }) => {
    await runSync(loadSettings(), { dryRun: options.dryRun ?? false });
  });

program
  .command('spend')
  .description('the Places API calls of the last days (the spend ledger), per UTC day')
  .option('--days <n>', 'how many UTC days, today included', positiveInt, 7)
  .option(
    '--limit <n|off>',
    "set the store's daily Places API call limit for every worker sharing it (off: none)",
  )
  .action(async (options: { days: number; limit?: string }) => {
    await printSpend(loadSettings(), Math.min(options.days, 366), { limit: options.limit });
  });

program
  .command('worker')
  .description('run only the deep scan loop (for a server or a spare machine) until SIGTERM')
  .action(async () => {
    await runWorker(loadSettings());
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  // Settings errors are already one clear sentence; anything else gets its message, no stack.
  const message =
    error instanceof SettingsError || error instanceof CommandError
      ? error.message
      : `Error: ${errorSummary(error).message}`;
  console.error(message);
  process.exitCode = 1;
});
