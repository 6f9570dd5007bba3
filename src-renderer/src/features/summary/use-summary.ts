import { useCallback, useEffect, useRef, useState } from 'react';
import type { PlacesSummary, ScanProgress } from '../../../../src-shared/contract';
import type { AppError } from '../../../../src-shared/errors';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { applyScanProgress } from './summary-model';

/** Bursts of changes (a scan batch finishing) cost one re-count, not one per event. */
const RECOUNT_SETTLE_MS = 400;

/**
 * Counts by status and deep scan status: read once, then kept fresh by pushed events only
 * (placesChanged asks for a re-count; scanProgress carries the scan counts itself).
 * `enabled` holds the first read back until the grid has its first rows: counting a big store
 * is slow, and with SQLite it would make the grid's first page wait behind it.
 */
export function useSummary(epoch: number, enabled: boolean) {
  const client = useClient();
  const [summary, setSummary] = useState<PlacesSummary | null>(null);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const reload = useCallback(() => {
    client.call('placesSummary', {}).then(
      (next) => {
        setSummary(next);
        setError(null);
      },
      (thrown: unknown) => setError(toAppError(thrown)),
    );
  }, [client]);

  const reloadSoon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(reload, RECOUNT_SETTLE_MS);
  }, [reload]);

  useEffect(() => {
    if (!enabled) return;
    reload();
    client.call('scanStatus', {}).then(setProgress, () => {
      // The summary's own error covers an unreachable server; progress just stays unknown.
    });
  }, [client, reload, epoch, enabled]);

  useEffect(() => {
    const stops = [
      client.on('placesChanged', reloadSoon),
      client.on('scanProgress', (next) => {
        setProgress(next);
        setSummary((current) => (current ? applyScanProgress(current, next) : current));
      }),
      client.onReconnect(reloadSoon),
    ];
    return () => {
      stops.forEach((stop) => stop());
      clearTimeout(timer.current);
    };
  }, [client, reloadSoon]);

  return { summary, progress, error, reload };
}
