import type { ScanProgress } from '../../src-shared/contract/events';
import type { EventBus } from '../events';

/**
 * Pushes the loop's progress to the UI: `placesChanged` (reason 'scan') with the places whose
 * scan state changed since the last push, and `scanProgress` when the figures changed. While the
 * loop is busy that is every tick; while idle, the figures are re-read every tenth tick only
 * (other workers may be scanning this store).
 */
export function createProgressEvents(
  events: Pick<EventBus, 'emit'>,
  readProgress: () => Promise<ScanProgress>,
) {
  let dirty = true;
  let idleTicks = 0;
  let lastJson = '';
  let changed: string[] = [];
  return {
    placeChanged(placeId: string): void {
      changed.push(placeId);
      dirty = true;
    },
    markDirty(): void {
      dirty = true;
    },
    async push(force = false): Promise<void> {
      const ids = changed;
      changed = [];
      if (ids.length > 0) {
        // A long list is no help to the grid: null means "refresh what you show".
        events.emit('placesChanged', {
          place_ids: ids.length <= 1000 ? ids : null,
          reason: 'scan',
        });
      }
      if (!force && !dirty && ++idleTicks < 10) return;
      dirty = false;
      idleTicks = 0;
      const progress = await readProgress();
      const json = JSON.stringify(progress);
      if (force || json !== lastJson) {
        lastJson = json;
        events.emit('scanProgress', progress);
      }
    },
  };
}
