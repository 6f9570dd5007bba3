import { describe, expect, it } from 'vitest';
import { placeColumns } from './columns';
import {
  arrangeColumns,
  defaultLayout,
  layoutColumns,
  parseLayout,
  resetColumns,
  serializeLayout,
  toColumnState,
  withColumnHidden,
  withColumnState,
  withSidePanelHidden,
  type GridLayout,
} from './layout';

const columns = layoutColumns(placeColumns(null));
const ids = columns.map((column) => column.id);
const defaults = defaultLayout(columns);

describe('the grid layout', () => {
  it('starts compact with every column shown, at its shipped width, in the shipped order', () => {
    expect(defaults.density).toBe('compact');
    expect(defaults.summaryCollapsed).toBe(false);
    expect(defaults.sidePanelHidden).toBe(false);
    expect(defaults.columns.map((c) => c.id)).toEqual(ids);
    expect(defaults.columns.every((c) => !c.hidden)).toBe(true);
  });

  it('the decision columns and the name are locked visible', () => {
    expect(columns.filter((c) => c.locked).map((c) => c.id)).toEqual([
      'business_name',
      'status',
      'deep_scan_status',
    ]);
  });

  it('survives a round trip through storage', () => {
    const changed: GridLayout = {
      columns: [...defaults.columns]
        .reverse()
        .map((c, i) => ({ ...c, width: 150 + i, hidden: c.id === 'address' })),
      density: 'comfortable',
      summaryCollapsed: true,
      sidePanelHidden: true,
    };
    expect(parseLayout(serializeLayout(changed), columns)).toEqual(changed);
  });

  it('a layout saved before the side panel could be hidden loads whole, with the panel shown', () => {
    // What the previous version wrote: no sidePanelHidden.
    const old = JSON.stringify({
      columns: defaults.columns.map((c) => ({ ...c, hidden: c.id === 'address' })),
      density: 'comfortable',
      summaryCollapsed: true,
    });
    const parsed = parseLayout(old, columns);
    expect(parsed.sidePanelHidden).toBe(false);
    expect(parsed.density).toBe('comfortable');
    expect(parsed.summaryCollapsed).toBe(true);
    expect(parsed.columns.find((c) => c.id === 'address')?.hidden).toBe(true);
    // Hidden, saved and read back: hidden.
    const hidden = withSidePanelHidden(parsed, true);
    expect(parseLayout(serializeLayout(hidden), columns).sidePanelHidden).toBe(true);
    expect(parseLayout(JSON.stringify({ sidePanelHidden: 'yes' }), columns).sidePanelHidden).toBe(
      false,
    );
  });

  it('hiding the side panel changes only that; the same choice again is the same object', () => {
    const hidden = withSidePanelHidden(defaults, true);
    expect(hidden).toEqual({ ...defaults, sidePanelHidden: true });
    expect(withSidePanelHidden(hidden, true)).toBe(hidden);
    expect(withSidePanelHidden(hidden, false)).toEqual(defaults);
  });

  it('falls back piece by piece on anything unreadable', () => {
    expect(parseLayout(null, columns)).toEqual(defaults);
    expect(parseLayout('not json', columns)).toEqual(defaults);
    expect(parseLayout('[1,2]', columns)).toEqual(defaults);
    const parsed = parseLayout(
      JSON.stringify({
        density: 'huge',
        summaryCollapsed: 'yes',
        columns: [
          { id: 'gone_column', width: 100 },
          { id: 'status', width: 5, hidden: true },
          { id: 'status', width: 300 },
          { id: 'category', width: 99999, hidden: true },
          { id: 'rating', width: 'wide' },
          null,
        ],
      }),
      columns,
    );
    expect(parsed.density).toBe('compact');
    expect(parsed.summaryCollapsed).toBe(false);
    // Locked columns can't be hidden; widths stay inside the column's limits; unknown ids go.
    expect(parsed.columns.find((c) => c.id === 'status')).toEqual({
      id: 'status',
      width: 90,
      hidden: false,
    });
    expect(parsed.columns.find((c) => c.id === 'category')).toEqual({
      id: 'category',
      width: 1000,
      hidden: true,
    });
    expect(parsed.columns.find((c) => c.id === 'rating')?.width).toBe(90);
    expect(parsed.columns.map((c) => c.id).sort()).toEqual([...ids].sort());
  });

  it('a column new in this version takes its default place after its neighbour', () => {
    const stored = defaults.columns.filter((c) => c.id !== 'category').reverse();
    const parsed = parseLayout(JSON.stringify({ columns: stored }), columns);
    const order = parsed.columns.map((c) => c.id);
    expect(order.indexOf('category')).toBe(order.indexOf('address') + 1);
    expect(order).toHaveLength(ids.length);
  });

  it('follows the grid when the reviewer moves, resizes or hides columns there', () => {
    const state = [
      { colId: 'ag-Grid-SelectionColumn', width: 50 },
      ...toColumnState(defaults)
        .reverse()
        .map((s) => (s.colId === 'address' ? { ...s, width: 321, hide: true } : s)),
      { colId: 'business_name', width: 500, hide: true },
    ];
    const next = withColumnState(defaults, state, columns);
    expect(next.columns.map((c) => c.id)).toEqual([...ids].reverse());
    expect(next.columns.find((c) => c.id === 'address')).toEqual({
      id: 'address',
      width: 321,
      hidden: true,
    });
    // The duplicate is ignored; the name stays shown.
    expect(next.columns.find((c) => c.id === 'business_name')?.hidden).toBe(false);
    // The same state again is the same layout object: no re-render, no save.
    expect(withColumnState(next, toColumnState(next), columns)).toBe(next);
  });

  it('hides and shows columns, never a locked one; reset keeps the summary fold and the panel', () => {
    const hidden = withColumnHidden(defaults, 'address', true, columns);
    expect(hidden.columns.find((c) => c.id === 'address')?.hidden).toBe(true);
    expect(withColumnHidden(hidden, 'status', true, columns)).toBe(hidden);
    const folded = {
      ...hidden,
      density: 'comfortable' as const,
      summaryCollapsed: true,
      sidePanelHidden: true,
    };
    expect(resetColumns(folded, columns)).toEqual({
      ...defaults,
      summaryCollapsed: true,
      sidePanelHidden: true,
    });
  });
});

describe('arranging the column definitions', () => {
  it('puts them in the layout order with its widths and visibility', () => {
    const layout = withColumnHidden(
      { ...defaults, columns: [...defaults.columns].reverse() },
      'category',
      true,
      columns,
    );
    const arranged = arrangeColumns(placeColumns(null), layout);
    expect(arranged.map((def) => def.field)).toEqual([...ids].reverse());
    expect(arranged.find((def) => def.field === 'category')?.hide).toBe(true);
    expect(arranged.find((def) => def.field === 'address')?.hide).toBe(false);
  });
});
