import Papa from 'papaparse';
import { importPlaceSchema, type ImportPlace } from './contract/import';
import { IMPORT_FIELDS, REQUIRED_IMPORT_FIELDS, type ImportField } from './import-fields';

/**
 * Reading places from a file: a CSV with a header row (a map search's export, a spreadsheet
 * saved as CSV; comma, semicolon or tab separated, detected) or a JSON array of objects. Columns
 * are matched by name, ignoring case, spaces and punctuation, to the import's fields
 * (importPlaceSchema); other columns are ignored. Each row is checked against the import's schema
 * here, so a bad row is named by its row number before anything is sent, and the server checks
 * the same schema again. The app (ImportDialog) and `staging-editor import` both read files here.
 */

export { IMPORT_FIELDS, REQUIRED_IMPORT_FIELDS, type ImportField } from './import-fields';

const NUMBER_FIELDS = new Set<ImportField>([
  'latitude',
  'longitude',
  'rating',
  'reviews_count',
  'price_level',
]);

/** A column name as compared: lower case, letters and digits only ("Place ID" = "place_id"). */
export function importColumnKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const FIELD_BY_KEY = new Map<string, ImportField>(
  (Object.entries(IMPORT_FIELDS) as [ImportField, { names: readonly string[] }][]).flatMap(
    ([field, { names }]) => names.map((n) => [importColumnKey(n), field] as const),
  ),
);

/** Google's price level names (Places API New) and the dollar signs the grid shows. */
const PRICE_WORDS: Record<string, number> = {
  free: 0,
  pricelevelfree: 0,
  pricelevelinexpensive: 1,
  pricelevelmoderate: 2,
  pricelevelexpensive: 3,
  pricelevelveryexpensive: 4,
};

/**
 * A number as a spreadsheet writes it: "4.5", "4,5" (a decimal comma), "1,234" or "1 234" (a
 * reviews count with thousands separators); the price level also as "$$" or Google's
 * PRICE_LEVEL_MODERATE. Anything else is returned as it is, for the schema to refuse by name.
 */
function toNumber(field: ImportField, text: string): unknown {
  if (field === 'price_level') {
    if (/^\$+$/.test(text)) return text.length;
    const word = PRICE_WORDS[importColumnKey(text)];
    if (word !== undefined) return word;
  }
  let plain = text.replace(/[\s\u00a0\u202f]/g, '');
  if (field === 'reviews_count' && /^\d{1,3}([,.]\d{3})+$/.test(plain)) {
    plain = plain.replace(/[,.]/g, '');
  } else if (/^[-+]?\d*,\d+$/.test(plain)) {
    plain = plain.replace(',', '.');
  }
  const n = plain === '' ? NaN : Number(plain);
  return Number.isFinite(n) ? n : text;
}

/** One cell's text as the field's value (undefined: empty). */
function cellValue(field: ImportField, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  let text = value.trim();
  if (text === '') return undefined;
  // A spreadsheet-safe export ("'=SUM(...)", the export's own escape) reads back as it was.
  if (/^'[=+\-@\t\r]/.test(text)) text = text.slice(1);
  return NUMBER_FIELDS.has(field) ? toNumber(field, text) : text;
}

export interface ImportColumn {
  /** The column's name in the file. */
  name: string;
  /** The field it fills; null: ignored (no field of that name, or a second column for a field). */
  field: ImportField | null;
}

export interface ImportProblem {
  /** The row as a spreadsheet numbers it (the header is row 1); for JSON, the item's number from 1. */
  row: number;
  /** The field at fault, when one is. */
  field?: ImportField;
  message: string;
}

export interface ImportFile {
  format: 'csv' | 'json';
  /** Rows read (not counting the header or blank lines). */
  rows: number;
  /** The rows that passed, in the file's order. */
  places: ImportPlace[];
  /** Rows that can't be imported, one entry per row (its first problem), in order. */
  problems: ImportProblem[];
  columns: ImportColumn[];
  /** Something that makes the whole file unreadable (not CSV or JSON, say). */
  error: string | null;
}

/** Which column fills each field: the first one whose name matches. */
function matchColumns(names: string[]): ImportColumn[] {
  const taken = new Set<ImportField>();
  return names.map((name) => {
    const field = FIELD_BY_KEY.get(importColumnKey(name)) ?? null;
    if (field === null || taken.has(field)) return { name, field: null };
    taken.add(field);
    return { name, field };
  });
}

function missingFields(columns: ImportColumn[]): ImportField[] {
  const present = new Set(columns.map((c) => c.field));
  return REQUIRED_IMPORT_FIELDS.filter((f) => !present.has(f));
}

/** Checks a file's rows one by one, in order: the places that pass and the rows that don't. */
function rowChecker(columns: ImportColumn[]) {
  const active = columns.flatMap((c, index) =>
    c.field === null ? [] : [{ index, field: c.field }],
  );
  const places: ImportPlace[] = [];
  const problems: ImportProblem[] = [];
  const firstRowOf = new Map<string, number>();
  let rows = 0;
  return {
    /** A row (its number, its cells in column order) that could not be read at all. */
    unreadable(problem: ImportProblem) {
      rows += 1;
      problems.push(problem);
    },
    check(row: number, cells: readonly unknown[]) {
      rows += 1;
      const input: Record<string, unknown> = {};
      for (const { index, field } of active) {
        const value = cellValue(field, cells[index]);
        if (value !== undefined) input[field] = value;
      }
      const parsed = importPlaceSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path[0] as ImportField | undefined;
        const value = field === undefined ? undefined : input[field];
        problems.push({
          row,
          ...(field === undefined ? {} : { field }),
          message:
            field === undefined
              ? issue.message
              : value === undefined
                ? `${IMPORT_FIELDS[field].label}: is empty`
                : `${IMPORT_FIELDS[field].label}: ${issue.message} (got ${JSON.stringify(value)})`,
        });
        return;
      }
      const first = firstRowOf.get(parsed.data.place_id);
      if (first !== undefined) {
        problems.push({
          row,
          field: 'place_id',
          message: `Place ID: ${parsed.data.place_id} is already on row ${first}; that row is imported`,
        });
        return;
      }
      firstRowOf.set(parsed.data.place_id, row);
      places.push(parsed.data);
    },
    result(format: ImportFile['format']): ImportFile {
      return { format, rows, places, problems, columns, error: null };
    },
  };
}

type RowChecker = ReturnType<typeof rowChecker>;

function unreadable(format: ImportFile['format'], error: string, columns: ImportColumn[] = []) {
  return {
    format,
    rows: 0,
    places: [],
    problems: [],
    columns,
    error,
  } satisfies ImportFile;
}

/** A JSON file's objects as rows of cells, in the order of `columns` (every key seen). */
function jsonRows(
  text: string,
): { error: string } | { columns: ImportColumn[]; rows: unknown[][] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `The file is not valid JSON: ${(e as Error).message}` };
  }
  if (
    !Array.isArray(data) ||
    data.some((d) => typeof d !== 'object' || d === null || Array.isArray(d))
  ) {
    return { error: 'A JSON file must be an array of objects, one per place.' };
  }
  const objects = data as Record<string, unknown>[];
  const names = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return { columns: matchColumns(names), rows: objects.map((o) => names.map((n) => o[n])) };
}

const EMPTY_FILE = 'The file is empty.';

/** A CSV's header row as the file's columns, or why the file can't be imported. */
function csvColumns(
  header: string[] | undefined,
): { error: string; columns: ImportColumn[] } | { columns: ImportColumn[] } {
  if (!header) return { error: EMPTY_FILE, columns: [] };
  const columns = matchColumns(header.map((h) => h.trim()));
  const missing = missingFields(columns);
  return missing.length > 0 ? { error: missingMessage(missing), columns } : { columns };
}

/** A row the CSV parser could not read (an unclosed quote), as a problem of that row. */
const quoteProblem = (row: number, error: Papa.ParseError): ImportProblem => ({
  row,
  message: `Unreadable row: ${error.message}`,
});

// A spreadsheet numbers the header row 1, so the CSV's data row i (from 0) is row i + 2 (blank
// lines are skipped and not counted: a spreadsheet's export has none between its rows).
const csvRowNumber = (dataIndex: number) => dataIndex + 2;

/**
 * The file's separator (comma, semicolon, tab...), guessed once from its first rows, so that a
 * read in slices uses the same one as a read at once.
 */
function csvDelimiter(text: string): string {
  return Papa.parse(text.slice(0, 64 * 1024), { preview: 20, skipEmptyLines: 'greedy' }).meta
    .delimiter;
}

function readCsv(text: string): ImportFile {
  const parsed = Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    delimiter: csvDelimiter(text),
  });
  const [header, ...body] = parsed.data;
  const head = csvColumns(header);
  if ('error' in head) return unreadable('csv', head.error, head.columns);
  const checker = rowChecker(head.columns);
  // Papa's error rows count from 0 at the header.
  const badRows = new Map(
    parsed.errors
      .filter((e) => e.type === 'Quotes' && typeof e.row === 'number' && e.row > 0)
      .map((e) => [(e.row as number) - 1, e]),
  );
  body.forEach((cells, i) => {
    const bad = badRows.get(i);
    if (bad) checker.unreadable(quoteProblem(csvRowNumber(i), bad));
    else checker.check(csvRowNumber(i), cells);
  });
  return checker.result('csv');
}

function missingMessage(missing: ImportField[]): string {
  const wanted = missing.map(
    (f) =>
      `${IMPORT_FIELDS[f].label} (a column named ${IMPORT_FIELDS[f].names.map((n) => `"${n}"`).join(' or ')})`,
  );
  return `The file has no column for ${wanted.join(' and ')}.`;
}

/** How a file's bytes were read as text. */
export type ImportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * A file's bytes as text. UTF-8 (with or without a byte order mark) is what the import expects;
 * a UTF-16 file (Excel's "Unicode Text") is known by its byte order mark; anything that is not
 * valid UTF-8 is read as Windows-1252, what Excel's plain "CSV (Comma delimited)" writes on a
 * Western Windows, so "Café" stays "Café" rather than "Caf\uFFFD". The caller says which it was.
 */
export function decodeImportFile(bytes: Uint8Array): { text: string; encoding: ImportEncoding } {
  const bom = (...marks: number[]) => marks.every((b, i) => bytes[i] === b);
  for (const [encoding, marks] of [
    ['utf-16le', [0xff, 0xfe]],
    ['utf-16be', [0xfe, 0xff]],
  ] as const) {
    if (bom(...marks)) return { text: new TextDecoder(encoding).decode(bytes), encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

/** A JSON file's rows and their checker, or the file's refusal (not JSON, a column missing). */
function openJson(text: string): ImportFile | { rows: unknown[][]; checker: RowChecker } {
  const read = jsonRows(text);
  if ('error' in read) return unreadable('json', read.error);
  const missing = missingFields(read.columns);
  if (missing.length > 0) return unreadable('json', missingMessage(missing), read.columns);
  return { rows: read.rows, checker: rowChecker(read.columns) };
}

function readJson(text: string): ImportFile {
  const open = openJson(text);
  if (!('checker' in open)) return open;
  open.rows.forEach((cells, i) => open.checker.check(i + 1, cells));
  return open.checker.result('json');
}

/** Reads a file's text (UTF-8, with or without a byte order mark) as places to import. */
export function readImportFile(text: string): ImportFile {
  const body = withoutBom(text);
  return looksLikeJson(body) ? readJson(body) : readCsv(body);
}

export interface GradualReadOptions {
  /** The share of the file read so far, from 0 to 1, after each slice. */
  onProgress?: (fraction: number) => void;
  /** Stops the read (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Characters of CSV parsed per slice. */
  sliceChars?: number;
  /** What runs between two slices; by default a macrotask, so the page paints and takes input. */
  pause?: () => Promise<void>;
}

const ROWS_PER_SLICE = 2000;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * readImportFile in slices, giving the event loop back between them: 100,000 rows take a few
 * seconds to parse and check, and the page must go on painting (a progress bar) and taking
 * input (a Stop button) meanwhile. The same result as readImportFile for the same text.
 */
export async function readImportFileGradually(
  text: string,
  options: GradualReadOptions = {},
): Promise<ImportFile> {
  const { onProgress, signal, sliceChars = 256 * 1024, pause = nextTask } = options;
  const body = withoutBom(text);
  if (looksLikeJson(body)) {
    const open = openJson(body);
    if (!('checker' in open)) return open;
    const { rows, checker } = open;
    for (let start = 0; start < rows.length; start += ROWS_PER_SLICE) {
      signal?.throwIfAborted();
      rows.slice(start, start + ROWS_PER_SLICE).forEach((cells, i) => {
        checker.check(start + i + 1, cells);
      });
      onProgress?.(Math.min(1, (start + ROWS_PER_SLICE) / rows.length));
      await pause();
    }
    return checker.result('json');
  }
  return new Promise<ImportFile>((resolve, reject) => {
    let checker: RowChecker | null = null;
    let dataIndex = 0;
    let settled = false;
    const settle = (result: ImportFile | null, error?: unknown) => {
      if (settled) return;
      settled = true;
      if (result) resolve(result);
      else reject(error);
    };
    Papa.parse<string[]>(body, {
      header: false,
      skipEmptyLines: 'greedy',
      delimiter: csvDelimiter(body),
      chunkSize: sliceChars,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        parser.pause();
        // Papa's error rows count from 0 at the first row of this slice.
        const badRows = new Map(
          results.errors
            .filter((e) => e.type === 'Quotes' && typeof e.row === 'number')
            .map((e) => [e.row as number, e]),
        );
        results.data.forEach((cells, i) => {
          if (checker === null) {
            const head = csvColumns(cells);
            if ('error' in head) {
              settle(unreadable('csv', head.error, head.columns));
              return;
            }
            checker = rowChecker(head.columns);
            return;
          }
          const bad = badRows.get(i);
          if (bad) checker.unreadable(quoteProblem(csvRowNumber(dataIndex), bad));
          else checker.check(csvRowNumber(dataIndex), cells);
          dataIndex += 1;
        });
        if (settled) return parser.abort();
        onProgress?.(Math.min(1, results.meta.cursor / body.length));
        void pause().then(() => {
          if (signal?.aborted) {
            settle(null, signal.reason);
            parser.abort();
          } else {
            parser.resume();
          }
        });
      },
      complete: () => {
        settle(checker ? checker.result('csv') : unreadable('csv', EMPTY_FILE));
      },
    });
  });
}
