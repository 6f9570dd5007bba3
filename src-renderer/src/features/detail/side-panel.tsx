import { isSidePanelKey } from '../decide/shortcuts';
import { useCommandKey } from '../decide/use-shortcut-keys';
import { withSidePanelHidden, type GridLayout } from '../grid/layout';

/** The side panel (place details and summary), which the toggle controls. */
export const SIDE_PANEL_ID = 'side-panel';

interface SidePanelOptions {
  /** The reviewer's layout: the panel's choice is remembered with it. */
  layout: GridLayout;
  update(change: (layout: GridLayout) => GridLayout): void;
  /** Off behind the sign-in screen and while there is no grid to give the width to. */
  enabled: boolean;
  /** Where the keyboard focus goes when the panel hides while it has it (the grid). */
  focusElsewhere(): void;
}

export interface SidePanel {
  hidden: boolean;
  toggle(): void;
  /**
   * Enter on a grid row: shows the panel if it is hidden, so the row's details are one key away.
   * Answers whether it did (otherwise the key is not ours).
   */
  showForRow(hasRow: boolean): boolean;
}

function focusIsInPanel(): boolean {
  return document.getElementById(SIDE_PANEL_ID)?.contains(document.activeElement) ?? false;
}

/**
 * Hiding and showing the side panel: its width goes to the grid (at 1280 px the panel took a
 * quarter of it). By the header's button or Ctrl+B / ⌘B from anywhere, the search box included,
 * but not over a dialog. The choice is part of the remembered layout.
 */
export function useSidePanel({ layout, update, enabled, focusElsewhere }: SidePanelOptions) {
  const hidden = layout.sidePanelHidden;
  const setHidden = (hide: boolean) => {
    // Focus in the panel would be lost with it: it goes to the grid instead.
    if (hide && focusIsInPanel()) focusElsewhere();
    update((current) => withSidePanelHidden(current, hide));
  };
  const toggle = () => setHidden(!hidden);

  useCommandKey(enabled, isSidePanelKey, toggle);

  const showForRow = (hasRow: boolean): boolean => {
    if (!hidden || !hasRow || !document.activeElement?.closest('.grid-host')) return false;
    setHidden(false);
    return true;
  };

  return { hidden, toggle, showForRow } satisfies SidePanel;
}

interface SidePanelToggleProps {
  hidden: boolean;
  onToggle(): void;
}

/** The header's button over the panel: says what it will do, and that it is the panel's. */
export function SidePanelToggle({ hidden, onToggle }: SidePanelToggleProps) {
  const name = hidden ? 'Show details panel' : 'Hide details panel';
  return (
    <button
      type="button"
      className="side-panel-toggle"
      aria-label={name}
      aria-expanded={!hidden}
      aria-controls={SIDE_PANEL_ID}
      aria-keyshortcuts="Control+B Meta+B"
      title={`${name} (Ctrl+B or ⌘B)`}
      onClick={onToggle}
    >
      {hidden ? 'Show details' : 'Hide details'}
    </button>
  );
}
