import { lazy } from 'react';

let loading: Promise<typeof import('./StagingGrid')> | null = null;

/**
 * AG Grid is most of the page's code: it comes in its own file, asked for as the page starts
 * (main.tsx), so the header, filters and toolbar paint while it loads and the first rows are
 * asked for meanwhile (first-page.ts).
 */
export function preloadGrid(): Promise<typeof import('./StagingGrid')> {
  return (loading ??= import('./StagingGrid'));
}

export const LazyStagingGrid = lazy(() =>
  preloadGrid().then((module) => ({ default: module.StagingGrid })),
);

/** What the grid's place shows while its code loads: the same box, so nothing jumps. */
export function GridLoading() {
  return (
    <section className="grid-host grid-loading" aria-label="Staging places" aria-busy="true">
      <p className="muted">Loading places…</p>
    </section>
  );
}
