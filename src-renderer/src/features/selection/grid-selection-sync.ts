import type { GridApi, IRowNode, SelectionEventSourceType } from 'ag-grid-community';
import { isSelected, type Selection } from './selection';

/** Selection changes the grid makes on the user's behalf; anything else is the app's own echo. */
export const USER_SELECTION_SOURCES: ReadonlySet<SelectionEventSourceType> = new Set([
  'checkboxSelected',
  'spaceKey',
  'rowClicked',
]);

/**
 * Mirrors the app's selection onto the rows the grid has loaded. Runs after every selection
 * change and every block load, so rows arriving by scroll, sort or refresh show the right ticks.
 */
export function applySelectionToGrid<T>(api: GridApi<T>, selection: Selection): void {
  const select: IRowNode<T>[] = [];
  const deselect: IRowNode<T>[] = [];
  api.forEachNode((node) => {
    if (!node.data || node.id === undefined) return;
    const wanted = isSelected(selection, node.id);
    if (Boolean(node.isSelected()) !== wanted) (wanted ? select : deselect).push(node);
  });
  if (select.length) api.setNodesSelected({ nodes: select, newValue: true, source: 'api' });
  if (deselect.length) api.setNodesSelected({ nodes: deselect, newValue: false, source: 'api' });
}
