import { readFileSync } from 'node:fs';
import { importPlacesChunks } from '../../src-shared/contract';
import { formatCount, plural } from '../../src-shared/messages';
import { decodeImportFile, readImportFile } from '../../src-shared/import-file';
import type { Settings } from '../config';
import { openStore } from '../db/store';
import { errorSummary } from '../error-summary';
import { createPlacesService, placesRepositoryFor } from '../places/service';
import { CommandError } from './command-error';
import { placesProgressBar } from './progress-bar';

/** Rows that can't be imported, listed before the command stops or goes on without them. */
const PROBLEMS_SHOWN = 20;

/**
 * `staging-editor import <file>`: the app's "Import places" from a terminal. The file is read
 * and checked whole first (readImportFile: the app's reader, read at once); then its places go in requests
 * of the app's size, one transaction each, with a progress bar. A place id the store has is
 * skipped, so running the same file again after a failure imports the rest.
 */
export async function importFile(
  settings: Settings,
  path: string,
  options: { skipInvalid: boolean },
): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new CommandError(`Can't read ${path}: ${code === 'ENOENT' ? 'no such file' : message}`);
  }
  const { text, encoding } = decodeImportFile(bytes);
  if (encoding === 'windows-1252') {
    console.error(`${path} is not UTF-8: read as Windows-1252 (Excel's plain CSV on Windows).`);
  }
  const file = readImportFile(text);
  if (file.error) throw new CommandError(`${path}: ${file.error} Nothing was imported.`);
  for (const p of file.problems.slice(0, PROBLEMS_SHOWN)) {
    console.error(`${path}, row ${p.row}: ${p.message}`);
  }
  if (file.problems.length > PROBLEMS_SHOWN) {
    console.error(`... and ${file.problems.length - PROBLEMS_SHOWN} more rows.`);
  }
  if (file.problems.length > 0 && !options.skipInvalid) {
    throw new CommandError(
      `${formatCount(file.problems.length)} of ${formatCount(file.rows)} rows can't be imported (listed above): nothing was imported. Correct them, or pass --skip-invalid to import the other ${formatCount(file.places.length)}.`,
    );
  }
  if (file.places.length === 0) throw new CommandError(`${path} has no places to import.`);

  const store = await openStore(settings);
  const places = createPlacesService(placesRepositoryFor(store));
  const bar = placesProgressBar('Importing');
  const started = Date.now();
  let inserted = 0;
  let skipped = 0;
  let sent = 0;
  try {
    bar.start(file.places.length, 0);
    for (const chunk of importPlacesChunks(file.places)) {
      try {
        const result = await places.importPlaces(chunk);
        inserted += result.inserted;
        skipped += result.skipped;
      } catch (error) {
        bar.stop();
        throw new CommandError(
          `Stopped after ${formatCount(sent)} of ${formatCount(file.places.length)} places: ${errorSummary(error).message}. ` +
            (sent > 0
              ? 'The places before are in; run the same command again to import the rest (places already in the store are skipped).'
              : 'Nothing was imported.'),
        );
      }
      sent += chunk.length;
      bar.update(sent);
    }
  } finally {
    bar.stop();
    await store.close();
  }
  const notes = [
    ...(skipped > 0 ? [`${formatCount(skipped)} already there`] : []),
    ...(file.problems.length > 0
      ? [`${plural(file.problems.length, 'invalid row')} left out`]
      : []),
  ];
  console.log(
    `Imported ${plural(inserted, 'place')} into ${store.description} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (notes.length > 0 ? ` (${notes.join('; ')}).` : '.'),
  );
}
