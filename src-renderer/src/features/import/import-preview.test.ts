import { describe, expect, it } from 'vitest';
import { readImportFile } from '../../../../src-shared/import-file';
import {
  importButtonText,
  problemsHeading,
  problemsShown,
  problemText,
  progressText,
  readyText,
  samplePlaces,
} from './import-preview';
import { readFile } from './read-import-file';

describe('the import preview', () => {
  it('names the field each column fills; unknown and second columns for a field are ignored', async () => {
    const { file, targets } = await readFile(
      new TextEncoder().encode('Place ID,Title,Website,Name,Stars\nChIJ1,Blue Oak,x,y,4.5\n'),
    );
    expect(file.columns.map((c, i) => [c.name, targets[i]])).toEqual([
      ['Place ID', 'Place ID'],
      ['Title', 'Name'],
      ['Website', 'ignored'],
      ['Name', 'ignored'],
      ['Stars', 'Rating'],
    ]);
  });

  it('numbers a CSV’s problems by its rows (the header is row 1), a JSON file’s by item', () => {
    const csv = readImportFile('place_id,name,rating\na,A,4\nb,B,7\na,A again,3\n');
    expect(csv.problems.map((p) => problemText(csv.format, p))).toEqual([
      'Row 3: Rating: must be between 0 and 5 (got 7)',
      'Row 4: Place ID: a is already on row 2; that row is imported',
    ]);
    expect(problemsHeading(csv.format, csv.problems.length)).toBe('2 rows can’t be imported');

    const json = readImportFile('[{"place_id":"a","name":"A"},{"place_id":"b"}]');
    expect(json.problems.map((p) => problemText(json.format, p))).toEqual([
      'Item 2: Name: is empty',
    ]);
    expect(problemsHeading(json.format, 1)).toBe('1 item can’t be imported');
  });

  it('draws the first 50 problems of a file that has more, and counts the rest', () => {
    const rows = Array.from({ length: 1_234 }, (_, i) => `p${i},Place ${i},9`);
    const file = readImportFile(['place_id,name,rating', ...rows].join('\n'));
    const { shown, more } = problemsShown(file.problems);
    expect(shown).toHaveLength(50);
    expect(shown[0]?.row).toBe(2);
    expect(shown[49]?.row).toBe(51);
    expect(more).toBe(1_184);
    expect(problemsShown(file.problems.slice(0, 50)).more).toBe(0);
  });

  it('counts in words, with thousands separators', () => {
    expect(readyText(1)).toBe('1 place ready to import');
    expect(importButtonText(0)).toBe('Import 0 places');
    expect(importButtonText(5_000)).toBe('Import 5,000 places');
    expect(progressText({ sent: 2_000, total: 5_000, inserted: 1_990, skipped: 10 })).toBe(
      'Importing… 2,000 of 5,000 places',
    );
  });

  it('shows the first places as they will be stored, one column per field the file fills', () => {
    const file = readImportFile(
      'Name,Place ID,Phone,Rating\nAlpha,A,1,4\nBeta,B,2,\nGamma,C,3,5\nDelta,D,4,1\n',
    );
    expect(samplePlaces(file)).toEqual({
      headers: ['Place ID', 'Name', 'Rating'],
      rows: [
        ['A', 'Alpha', '4'],
        ['B', 'Beta', ''],
        ['C', 'Gamma', '5'],
      ],
    });
  });

  it('says how a file that is not UTF-8 was read, with its accents right', async () => {
    // "Café" in Windows-1252: é is the single byte 0xE9, not valid UTF-8.
    const bytes = new Uint8Array([...new TextEncoder().encode('place_id,name\nA,Caf'), 0xe9, 0x0a]);
    const read = await readFile(bytes);
    expect(read.encoding).toBe('windows-1252');
    expect(read.file.places).toEqual([{ place_id: 'A', business_name: 'Café' }]);
    expect((await readFile(new TextEncoder().encode('place_id,name\nA,Café\n'))).encoding).toBe(
      'utf-8',
    );
  });
});
