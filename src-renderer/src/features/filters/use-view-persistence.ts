import { useEffect } from 'react';
import { parseViewState, serializeViewState, VIEW_STATE_KEY, type ViewState } from './view-state';

export function loadViewState(): ViewState {
  try {
    return parseViewState(window.localStorage.getItem(VIEW_STATE_KEY));
  } catch {
    return parseViewState(null);
  }
}

/** Saves filter and sort whenever they change, so a restart shows the same view. */
export function useViewPersistence(view: ViewState): void {
  useEffect(() => {
    try {
      window.localStorage.setItem(VIEW_STATE_KEY, serializeViewState(view));
    } catch {
      // Storage full or disabled: the view still works, it just won't survive a restart.
    }
  }, [view]);
}
