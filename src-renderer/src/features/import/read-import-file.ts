import {
  IMPORT_FIELDS,
  decodeImportFile,
  readImportFileGradually,
  type ImportEncoding,
  type GradualReadOptions,
  type ImportColumn,
  type ImportFile,
} from '../../../../src-shared/import-file';

/**
 * The file reader (with its CSV parser) in a file of its own, loaded when a file is chosen: the
 * page's first load, which every start waits for, does not carry it.
 */

export interface ReadFile {
  file: ImportFile;
  /** For each of the file's columns, the field it fills: its label, or "ignored". */
  targets: string[];
  /** How its bytes were read (decodeImportFile): the preview says so when it was not UTF-8. */
  encoding: ImportEncoding;
}

export const columnTarget = (column: ImportColumn): string =>
  column.field === null ? 'ignored' : IMPORT_FIELDS[column.field].label;

/**
 * Reads the file in slices that give the page back between them (100,000 rows take about a
 * second), so "Reading…" paints and moves and the dialog still takes a click meanwhile.
 */
export async function readFile(
  bytes: Uint8Array,
  options: GradualReadOptions = {},
): Promise<ReadFile> {
  const { text, encoding } = decodeImportFile(bytes);
  const file = await readImportFileGradually(text, options);
  return { file, targets: file.columns.map(columnTarget), encoding };
}
