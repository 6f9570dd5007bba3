import {
  MAX_EXPORT_PAGE_SIZE,
  type ExportPlacesInput,
  type ExportPlacesOutput,
} from '../../../../src-shared/contract/export';
import type { PlaceFilter } from '../../../../src-shared/contract/places';
import type { AppError } from '../../../../src-shared/errors';
import { formatCount } from '../../../../src-shared/messages';
import { toAppError } from '../../api/client';
import { asSentence, plainErrorText } from '../feedback/error-text';
import { filterToListParams } from '../filters/view-state';
import { placesText } from '../import/import-preview';

/** One page of an export: the client's exportPlaces (a fake in the tests). */
export type SendExport = (input: ExportPlacesInput) => Promise<ExportPlacesOutput>;

/** Where an export stands; only answered pages count. */
export interface ExportProgress {
  /** Places in the pages read so far. */
  read: number;
  /**
   * The places the filter matches as the grid counted them, null when it had not yet; never less
   * than `read` (a decision made meanwhile may move a place into the filter).
   */
  total: number | null;
}

export type ExportResult =
  /** `parts`: the file's text, the header first, for a Blob (never joined into one string). */
  | { outcome: 'done'; parts: string[]; count: number }
  /** The reviewer pressed Stop: the pages read are dropped, no file is made. */
  | { outcome: 'stopped'; count: number; message: string }
  | { outcome: 'failed'; count: number; error: AppError; message: string };

export interface ExportRunOptions {
  /** The places the filter matches as the grid counted them (for the progress), if it has. */
  total?: number | null;
  /** Stop: no further page is asked for, and the one under way is not waited for. */
  signal?: AbortSignal;
  /** Called before the first page and after each one. */
  onProgress?(progress: ExportProgress): void;
}

const STOPPED = Symbol('stopped');

/**
 * The page under way, unless Stop comes first: reading writes nothing, so there is nothing to
 * wait for, and a slow page of a large store would hold the Stop for seconds. Its late answer (or
 * failure) is dropped.
 */
function unlessStopped<T>(answer: Promise<T>, signal?: AbortSignal): Promise<T | typeof STOPPED> {
  if (!signal) return answer;
  return new Promise((resolve, reject) => {
    const stop = () => resolve(STOPPED);
    signal.addEventListener('abort', stop, { once: true });
    void answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * Reads a filter's places page after page (as many as a page takes, in place id order, each page
 * starting after the last place of the one before) and makes the CSV file's text: the header,
 * then each page's rows. The filter goes as the grid sends it (filterToListParams), so the file
 * holds the rows the grid counts. Nothing is saved unless every page was read: a stop or a failure
 * part way gives no file, never a file that looks whole but is not.
 */
export async function runExport(
  filter: PlaceFilter,
  send: SendExport,
  { total = null, signal, onProgress }: ExportRunOptions = {},
): Promise<ExportResult> {
  const query = filterToListParams(filter);
  // The CSV writer (with its parser library) is loaded when an export starts, not with the page.
  const { exportCsvHeader, exportCsvRows } = await import('../../../../src-shared/export-file');
  const parts = [exportCsvHeader()];
  let read = 0;
  let after: string | undefined;
  const progress = (): ExportProgress => ({
    read,
    total: total === null ? null : Math.max(total, read),
  });
  onProgress?.(progress());
  do {
    if (signal?.aborted) return stopped(progress());
    let page: ExportPlacesOutput | typeof STOPPED;
    try {
      page = await unlessStopped(send({ ...query, after, size: MAX_EXPORT_PAGE_SIZE }), signal);
    } catch (thrown) {
      const error = toAppError(thrown);
      return { outcome: 'failed', count: read, error, message: failedText(progress(), error) };
    }
    if (page === STOPPED) return stopped(progress());
    // The last page may be empty (the one before it was full): no empty part.
    if (page.items.length > 0) parts.push(exportCsvRows(page.items));
    read += page.items.length;
    after = page.next_after ?? undefined;
    onProgress?.(progress());
  } while (after !== undefined);
  return { outcome: 'done', parts, count: read };
}

/** "1,000 of 5,000 places", or "1,000 places" when the total was not known. */
function readText({ read, total }: ExportProgress): string {
  return total === null ? placesText(read) : `${formatCount(read)} of ${placesText(total)}`;
}

function stopped(progress: ExportProgress): ExportResult {
  return {
    outcome: 'stopped',
    count: progress.read,
    message:
      progress.read === 0
        ? 'Stopped before any place was read: no file was saved.'
        : `Stopped after ${readText(progress)}: no file was saved.`,
  };
}

function failedText(progress: ExportProgress, error: AppError): string {
  const what = asSentence(plainErrorText(error, 'the export'));
  if (progress.read === 0) return `${what} No file was saved.`;
  return `${what} It stopped after ${readText(progress)}, and no file was saved.`;
}
