import {
  importMessage,
  importPlacesChunks,
  type ImportPlace,
  type ImportPlacesInput,
  type ImportPlacesOutput,
} from '../../../../src-shared/contract/import';
import type { AppError } from '../../../../src-shared/errors';
import { formatCount } from '../../../../src-shared/messages';
import { toAppError } from '../../api/client';
import { asSentence, plainErrorText } from '../feedback/error-text';

/** One import request: the client's importPlaces (a fake in the tests). */
export type SendImport = (input: ImportPlacesInput) => Promise<ImportPlacesOutput>;

/** Where an import stands; only answered requests count. */
export interface ImportProgress {
  /** Places in the requests the server has answered. */
  sent: number;
  /** Places the file has to import. */
  total: number;
  inserted: number;
  skipped: number;
}

export type ImportResult =
  | { outcome: 'done'; progress: ImportProgress; message: string }
  /** The reviewer pressed Stop: the requests answered before it are in the store. */
  | { outcome: 'stopped'; progress: ImportProgress; message: string }
  | { outcome: 'failed'; progress: ImportProgress; error: AppError; message: string };

export interface ImportRunOptions {
  /** Checked between requests: a request under way is answered, and no further one is sent. */
  signal?: AbortSignal;
  /** Called before the first request and after each answer. */
  onProgress?(progress: ImportProgress): void;
}

/**
 * Sends a file's places in request-sized chunks (importPlacesChunks), one request at a time, in
 * the file's order: the server answers each with its counts, so the progress is exact, and a
 * stop or a failure leaves a known prefix of the file in the store. That prefix needs no undo:
 * the server skips a place id it already has, so importing the same file again adds only the
 * rest.
 */
export async function runImport(
  places: readonly ImportPlace[],
  send: SendImport,
  { signal, onProgress }: ImportRunOptions = {},
): Promise<ImportResult> {
  const progress: ImportProgress = { sent: 0, total: places.length, inserted: 0, skipped: 0 };
  const report = () => onProgress?.({ ...progress });
  report();
  for (const chunk of importPlacesChunks(places)) {
    if (signal?.aborted) {
      return { outcome: 'stopped', progress: { ...progress }, message: stoppedText(progress) };
    }
    try {
      const answer = await send({ places: chunk });
      progress.inserted += answer.inserted;
      progress.skipped += answer.skipped;
      progress.sent += chunk.length;
    } catch (thrown) {
      const error = toAppError(thrown);
      return {
        outcome: 'failed',
        progress: { ...progress },
        error,
        message: failedText(progress, error),
      };
    }
    report();
  }
  return {
    outcome: 'done',
    progress: { ...progress },
    message: importMessage(progress.inserted, progress.skipped),
  };
}

/** Said after a stop part way: what is in, and that the same file can simply go again. */
const AGAIN =
  'Those places are in the store: importing the same file again skips them and adds the rest.';

function partText(p: ImportProgress): string {
  return `after ${formatCount(p.sent)} of ${formatCount(p.total)} places: ${importMessage(p.inserted, p.skipped)}.`;
}

function stoppedText(p: ImportProgress): string {
  if (p.sent === 0) return 'Stopped before any place was sent: nothing was imported.';
  return `Stopped ${partText(p)} ${AGAIN}`;
}

function failedText(p: ImportProgress, error: AppError): string {
  if (p.sent === 0) return plainErrorText(error, 'the import');
  return `${asSentence(plainErrorText(error, 'the rest of the import'))} The import stopped ${partText(p)} ${AGAIN}`;
}
