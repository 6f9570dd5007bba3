import { useEffect, useState } from 'react';
import type { PlaceDetail } from '../../../../src-shared/contract';
import type { AppError } from '../../../../src-shared/errors';
import { toAppError } from '../../api/client';
import { useClient } from '../../api/client-context';

const FOCUS_SETTLE_MS = 120;

interface Loaded {
  placeId: string;
  version: number;
  detail: PlaceDetail | null;
  error: AppError | null;
}

/** The focused place in full, re-read when an event says it changed (a scan finishing, say). */
export function usePlaceDetail(placeId: string | null) {
  const client = useClient();
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(
    () =>
      client.on('placesChanged', ({ place_ids }) => {
        if (placeId && (place_ids === null || place_ids.includes(placeId)))
          setVersion((v) => v + 1);
      }),
    [client, placeId],
  );

  useEffect(() => {
    if (!placeId) return;
    let cancelled = false;
    // Arrowing through rows fires many focus changes: fetch only where the reviewer stops.
    const timer = setTimeout(() => {
      client.call('getPlace', { place_id: placeId }).then(
        (detail) => !cancelled && setLoaded({ placeId, version, detail, error: null }),
        (error: unknown) =>
          !cancelled && setLoaded({ placeId, version, detail: null, error: toAppError(error) }),
      );
    }, FOCUS_SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, placeId, version]);

  const current = loaded && loaded.placeId === placeId ? loaded : null;
  return {
    detail: current?.detail ?? null,
    error: current?.error ?? null,
    loading: placeId !== null && (current === null || current.version !== version),
  };
}
