import {
  CellStyleModule,
  ColumnApiModule,
  colorSchemeDark,
  colorSchemeLight,
  InfiniteRowModelModule,
  ModuleRegistry,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  themeQuartz,
  TooltipModule,
  ValidationModule,
} from 'ag-grid-community';

// Only what the staging grid uses, so the bundle stays small.
ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  RowSelectionModule,
  TooltipModule,
  CellStyleModule,
  // forEachNode / getRowNode / getDisplayedRowAtIndex, and getColumnState for the sort.
  RowApiModule,
  ColumnApiModule,
  // The key decision loop: ensureIndexVisible when focus advances, rowClassRules for pending rows.
  ScrollApiModule,
  RowStyleModule,
  ...(import.meta.env.DEV ? [ValidationModule] : []),
]);

const base = themeQuartz.withParams({ fontFamily: 'inherit', headerFontWeight: 600 });
export const lightGridTheme = base.withPart(colorSchemeLight);
export const darkGridTheme = base.withPart(colorSchemeDark);
