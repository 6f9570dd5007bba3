import Papa from 'papaparse';
import { importPlaceSchema, type ImportPlace } from './contract/import';

/**
 * Reading places from a file: a CSV with a header row (a map search's export, a spreadsheet
 * saved as CSV; comma, semicolon or tab separated, detected) or a JSON array of objects. Columns
 * are matched by name, ignoring case, spaces and punctuation, to the import's fields
 * (importPlaceSchema); other columns are ignored. Each row is checked against the import's schema
 * here, so a bad row is named by its row number before anything is sent, and the server checks
 * the same schema again. The app (ImportDialog) and `staging-editor import` both read files here.
 */

export type ImportField = keyof ImportPlace;

/** Each field's label and the column names taken for it (compared by importColumnKey). */
export const IMPORT_FIELDS: Record<ImportField, { label: string; names: readonly string[] }> = {
  place_id: { label: 'Place ID', names: ['place_id', 'google_place_id', 'gmaps_place_id'] },
  business_name: {
    label: 'Name',
    names: ['business_name', 'name', 'title', 'display_name', 'place_name'],
  },
  address: { label: 'Address', names: ['address', 'formatted_address', 'full_address'] },
  category: {
    label: 'Category',
    names: ['category', 'business_type', 'type', 'main_category', 'category_name', 'primary_type'],
  },
  search_location: { label: 'Search location', names: ['search_location'] },
  search_query: { label: 'Search query', names: ['search_query', 'query', 'search_string'] },
  latitude: { label: 'Latitude', names: ['latitude', 'lat'] },
  longitude: { label: 'Longitude', names: ['longitude', 'lng', 'lon', 'long'] },
  rating: { label: 'Rating', names: ['rating', 'total_score', 'stars'] },
  reviews_count: {
    label: 'Reviews',
    names: ['reviews_count', 'reviews', 'review_count', 'user_ratings_total', 'user_rating_count'],
  },
  price_level: { label: 'Price', names: ['price_level', 'price'] },
  notes: { label: 'Notes', names: ['notes', 'note', 'comment', 'comments'] },
};

/** The fields a file must have a column for. */
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ['place_id', 'business_name'];

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
  const text = value.trim();
  if (text === '') return undefined;
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
  /** Required fields with no column: when any is missing, no row is read. */
  missing: ImportField[];
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

function readRows(
  format: ImportFile['format'],
  columns: ImportColumn[],
  records: { row: number; cells: (field: ImportField, index: number) => unknown }[],
  problemsBefore: ImportProblem[] = [],
): ImportFile {
  const places: ImportPlace[] = [];
  const problems: ImportProblem[] = [];
  const badRows = new Map(problemsBefore.map((p) => [p.row, p]));
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of records) {
    const before = badRows.get(row);
    if (before) {
      problems.push(before);
      continue;
    }
    const input: Record<string, unknown> = {};
    columns.forEach((c, index) => {
      if (c.field === null) return;
      const value = cellValue(c.field, cells(c.field, index));
      if (value !== undefined) input[c.field] = value;
    });
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
      continue;
    }
    const first = firstRowOf.get(parsed.data.place_id);
    if (first !== undefined) {
      problems.push({
        row,
        field: 'place_id',
        message: `Place ID: ${parsed.data.place_id} is already on row ${first}; that row is imported`,
      });
      continue;
    }
    firstRowOf.set(parsed.data.place_id, row);
    places.push(parsed.data);
  }
  return {
    format,
    rows: records.length,
    places,
    problems,
    columns,
    missing: [],
    error: null,
  };
}

function unreadable(format: ImportFile['format'], error: string, columns: ImportColumn[] = []) {
  return {
    format,
    rows: 0,
    places: [],
    problems: [],
    columns,
    missing: columns.length > 0 ? missingFields(columns) : [],
    error,
  } satisfies ImportFile;
}

function readJson(text: string): ImportFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return unreadable('json', `The file is not valid JSON: ${(e as Error).message}`);
  }
  if (
    !Array.isArray(data) ||
    data.some((d) => typeof d !== 'object' || d === null || Array.isArray(d))
  ) {
    return unreadable('json', 'A JSON file must be an array of objects, one per place.');
  }
  const objects = data as Record<string, unknown>[];
  const names = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const columns = matchColumns(names);
  const missing = missingFields(columns);
  if (missing.length > 0) return unreadable('json', missingMessage(missing), columns);
  return readRows(
    'json',
    columns,
    objects.map((o, i) => ({ row: i + 1, cells: (_f, index) => o[names[index]!] })),
  );
}

function readCsv(text: string): ImportFile {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy' });
  const [header, ...body] = parsed.data;
  if (!header) return unreadable('csv', 'The file is empty.');
  const columns = matchColumns(header.map((h) => h.trim()));
  const missing = missingFields(columns);
  if (missing.length > 0) return unreadable('csv', missingMessage(missing), columns);
  // Papa's rows count from 0 at the header, as this file's records do (blank lines are skipped
  // and not counted: a spreadsheet's export has none between its rows).
  const rowOf = (index: number) => index + 2;
  const quoteProblems = parsed.errors
    .filter((e) => e.type === 'Quotes' && e.row !== undefined && e.row !== null && e.row > 0)
    .map((e) => ({ row: rowOf((e.row as number) - 1), message: `Unreadable row: ${e.message}` }));
  return readRows(
    'csv',
    columns,
    body.map((cells, i) => ({ row: rowOf(i), cells: (_f, index) => cells[index] })),
    quoteProblems,
  );
}

function missingMessage(missing: ImportField[]): string {
  const wanted = missing.map(
    (f) =>
      `${IMPORT_FIELDS[f].label} (a column named ${IMPORT_FIELDS[f].names.map((n) => `"${n}"`).join(' or ')})`,
  );
  return `The file has no column for ${wanted.join(' and ')}.`;
}

/** Reads a file's text (UTF-8, with or without a byte order mark) as places to import. */
export function readImportFile(text: string): ImportFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = body.trimStart()[0];
  return start === '[' || start === '{' ? readJson(body) : readCsv(body);
}
