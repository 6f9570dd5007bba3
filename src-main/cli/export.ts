import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { MAX_EXPORT_PAGE_SIZE, exportPlacesInput } from '../../src-shared/contract';
import { exportCsvHeader, exportCsvRows } from '../../src-shared/export-file';
import { plural } from '../../src-shared/messages';
import type { Settings } from '../config';
import { openStore } from '../db/store';
import { createPlacesService, placesRepositoryFor } from '../places/service';
import { CommandError } from './command-error';

export interface ExportOptions {
  status?: string;
  scan?: string;
  search?: string;
  /** The file to write; standard output when absent. */
  out?: string;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * `staging-editor export`: the places of a filter, with what their deep scans found, as the
 * app's CSV (src-shared/export-file.ts), page by page. A file is written beside its name and
 * renamed into place at the end, so a failed export never leaves a half file under that name.
 */
export async function exportPlaces(settings: Settings, options: ExportOptions): Promise<void> {
  const filter = exportPlacesInput.safeParse({
    status: options.status,
    deep_scan_status: options.scan,
    q: options.search,
    size: MAX_EXPORT_PAGE_SIZE,
  });
  if (!filter.success) {
    const issue = filter.error.issues[0]!;
    const option = { status: '--status', deep_scan_status: '--scan', q: '--search' }[
      String(issue.path[0]) as 'status'
    ];
    throw new CommandError(`${option ?? String(issue.path[0])} ${issue.message}`);
  }
  const store = await openStore(settings);
  const places = createPlacesService(placesRepositoryFor(store));
  const partial = options.out ? `${options.out}.partial` : null;
  const out: NodeJS.WritableStream = partial ? createWriteStream(partial) : process.stdout;
  let exported = 0;
  try {
    await write(out, exportCsvHeader());
    let after: string | undefined;
    do {
      const page = await places.exportPage({ ...filter.data, after });
      await write(out, exportCsvRows(page.items));
      exported += page.items.length;
      after = page.next_after ?? undefined;
    } while (after !== undefined);
    if (partial) {
      (out as WriteStream).end();
      await once(out, 'close');
      renameSync(partial, options.out!);
    }
  } catch (error) {
    if (partial) {
      (out as WriteStream).destroy();
      rmSync(partial, { force: true });
    }
    throw error;
  } finally {
    await store.close();
  }
  if (options.out) {
    console.error(`Exported ${plural(exported, 'place')} to ${options.out}.`);
  }
}
