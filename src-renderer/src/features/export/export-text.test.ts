import { describe, expect, it } from 'vitest';
import {
  exportButtonText,
  exportedPlacesText,
  exportedText,
  filterConditions,
  progressText,
} from './export-text';

describe('what the export dialog says', () => {
  it('names the grid’s filter as the filter bar shows it, with the grid’s count', () => {
    expect(exportedPlacesText({}, 500)).toBe('All 500 places');
    expect(exportedPlacesText({ status: 'Maybe', q: 'oak' }, 28)).toBe(
      'The 28 places with status Maybe and search “oak”',
    );
    expect(
      exportedPlacesText(
        { status: 'Selected', deep_scan_status: 'Completed', q: 'blue oak' },
        1_234,
      ),
    ).toBe('The 1,234 places with status Selected, deep scan Completed and search “blue oak”');
    expect(exportedPlacesText({ deep_scan_status: 'none' }, 7)).toBe(
      'The 7 places with deep scan Never queued',
    );
  });

  it('one place, and a count not known yet', () => {
    expect(exportedPlacesText({ status: 'Archived' }, 1)).toBe(
      'The one place with status Archived',
    );
    expect(exportedPlacesText({}, 1)).toBe('The one place in the store');
    expect(exportedPlacesText({ status: 'Maybe' }, null)).toBe('The places with status Maybe');
    expect(exportedPlacesText({}, null)).toBe('All places');
  });

  it('words the filter the grid asks with: a search of spaces filters nothing, and is trimmed', () => {
    expect(filterConditions({ q: '   ' })).toEqual([]);
    expect(exportedPlacesText({ q: '  oak ' }, 40)).toBe('The 40 places with search “oak”');
  });

  it('the button, the progress and the result', () => {
    expect(exportButtonText(5_000)).toBe('Export 5,000 places');
    expect(exportButtonText(1)).toBe('Export 1 place');
    expect(exportButtonText(null)).toBe('Export places');
    expect(progressText({ read: 2_000, total: 5_000 })).toBe('Exporting… 2,000 of 5,000 places');
    expect(progressText({ read: 2_000, total: null })).toBe('Exporting… 2,000 places');
    expect(exportedText(28, 'staging-editor-places-2026-12-05.csv')).toBe(
      'Exported 28 places to staging-editor-places-2026-12-05.csv',
    );
  });
});
