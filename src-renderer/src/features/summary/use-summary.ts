import { useCallback, useEffect, useRef, useState } from 'react';
import type { PlacesSummary, ScanProgress, ScanSpend } from '../../../../src-shared/contract';
import type { AppError } from '../../../../src-shared/errors';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';
import { applyScanProgress } from './summary-model';

/** Bursts of changes (a scan batch finishing) cost one re-count, not one per event. */
const RECOUNT_SETTLE_MS = 400;
/** Today's Places API spend is re-read at most this often while scans run. */
const SPEND_SETTLE_MS = 2000;

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
  const [spend, setSpend] = useState<ScanSpend | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const spendTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  /** Today's paid calls; unknown (null) while the server can't say (team mode offline, say). */
  const reloadSpend = useCallback(() => {
    client.call('scanSpend', { days: 1 }).then(setSpend, () => setSpend(null));
  }, [client]);
  /** Scans finishing push progress often: the spend is re-read at most every few seconds. */
  const reloadSpendSoon = useCallback(() => {
    if (spendTimer.current !== undefined) return;
    spendTimer.current = setTimeout(() => {
      spendTimer.current = undefined;
      reloadSpend();
    }, SPEND_SETTLE_MS);
  }, [reloadSpend]);

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
    reloadSpend();
  }, [client, reload, reloadSpend, epoch, enabled]);

  useEffect(() => {
    const stops = [
      client.on('placesChanged', reloadSoon),
      client.on('scanProgress', (next) => {
        setProgress(next);
        reloadSpendSoon();
        setSummary((current) => (current ? applyScanProgress(current, next) : current));
      }),
      client.onReconnect(reloadSoon),
    ];
    return () => {
      stops.forEach((stop) => stop());
      clearTimeout(timer.current);
      clearTimeout(spendTimer.current);
      spendTimer.current = undefined;
    };
  }, [client, reloadSoon, reloadSpendSoon]);

  return { summary, progress, spend, error, reload, reloadSpend };
}
