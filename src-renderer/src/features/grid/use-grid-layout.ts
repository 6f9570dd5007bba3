import { useCallback, useEffect, useMemo, useState } from 'react';
import { placeColumns } from './columns';
import { LAYOUT_KEY, layoutColumns, parseLayout, serializeLayout, type GridLayout } from './layout';

/** The place columns as the layout knows them (ids, shipped widths and limits, locks). */
export const PLACE_LAYOUT_COLUMNS = layoutColumns(placeColumns(null));

function loadLayout(): GridLayout {
  try {
    return parseLayout(window.localStorage.getItem(LAYOUT_KEY), PLACE_LAYOUT_COLUMNS);
  } catch {
    return parseLayout(null, PLACE_LAYOUT_COLUMNS);
  }
}

export interface GridLayoutApi {
  layout: GridLayout;
  /** Updaters that return the same object change nothing (no render, no save). */
  update(change: (layout: GridLayout) => GridLayout): void;
}

/** The reviewer's grid layout, read once at start and saved whenever it changes. */
export function useGridLayout(): GridLayoutApi {
  const [layout, setLayout] = useState(loadLayout);
  useEffect(() => {
    try {
      window.localStorage.setItem(LAYOUT_KEY, serializeLayout(layout));
    } catch {
      // Storage full or disabled: the layout still works, it just won't survive a restart.
    }
  }, [layout]);
  const update = useCallback((change: (layout: GridLayout) => GridLayout) => setLayout(change), []);
  return useMemo(() => ({ layout, update }), [layout, update]);
}
