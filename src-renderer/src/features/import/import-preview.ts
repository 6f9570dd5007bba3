import type { ImportFile, ImportProblem } from '../../../../src-shared/import-file';
import { IMPORT_FIELDS, type ImportField } from '../../../../src-shared/import-fields';
import { formatCount, plural } from '../../../../src-shared/messages';
import type { ImportProgress } from './import-run';

/**
 * Rows that can't be imported drawn at once: a 100,000-row file of the wrong kind may have a
 * problem on every row, and drawing them all would hold the window for seconds.
 */
export const PROBLEMS_SHOWN = 50;

/** "1 place", "5,000 places". */
export const placesText = (n: number): string => plural(n, 'place');

export const readyText = (n: number): string => `${placesText(n)} ready to import`;

export const importButtonText = (n: number): string => `Import ${placesText(n)}`;

export const progressText = (p: ImportProgress): string =>
  `Importing… ${formatCount(p.sent)} of ${placesText(p.total)}`;

/** A JSON file has items, not rows: its problems are numbered by item. */
const unitOf = (format: ImportFile['format']) => (format === 'json' ? 'Item' : 'Row');

export const problemText = (format: ImportFile['format'], problem: ImportProblem): string =>
  `${unitOf(format)} ${formatCount(problem.row)}: ${problem.message}`;

export const problemsHeading = (format: ImportFile['format'], count: number): string =>
  `${formatCount(count)} ${unitOf(format).toLowerCase()}${count === 1 ? '' : 's'} can’t be imported`;

/** The problems to draw, and how many more the list leaves out. */
export function problemsShown(problems: readonly ImportProblem[]): {
  shown: readonly ImportProblem[];
  more: number;
} {
  return {
    shown: problems.slice(0, PROBLEMS_SHOWN),
    more: Math.max(0, problems.length - PROBLEMS_SHOWN),
  };
}

/** Places shown as they will be stored, so the reviewer sees the columns landed right. */
export const SAMPLE_PLACES = 3;

/**
 * The first places as a small table: a column for each field the file fills, in the fields'
 * order, each cell as it will be stored ("" when empty).
 */
export function samplePlaces(file: ImportFile): { headers: string[]; rows: string[][] } {
  const filled = new Set(file.columns.map((c) => c.field));
  const fields = (Object.keys(IMPORT_FIELDS) as ImportField[]).filter((f) => filled.has(f));
  return {
    headers: fields.map((f) => IMPORT_FIELDS[f].label),
    rows: file.places
      .slice(0, SAMPLE_PLACES)
      .map((place) => fields.map((f) => (place[f] === undefined ? '' : String(place[f])))),
  };
}
