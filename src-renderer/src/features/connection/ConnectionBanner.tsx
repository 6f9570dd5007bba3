import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ApiClient } from '../../api/client';
import { BACK_TEXT, bannerContent, type BannerContent } from './banner-content';

const BACK_VISIBLE_MS = 4000;
const TICK_MS = 250;

/**
 * Says so while the server can't be reached (or the desktop's backend restarts), counts down to
 * the next attempt and offers to try at once; says "Connected again" for a moment when it is
 * back (the grid and summary re-read by themselves then). The region stays in the page, empty
 * while all is well, so screen readers announce each change; the countdown is not announced.
 */
export function ConnectionBanner({ client }: { client: ApiClient }) {
  const status = useSyncExternalStore(
    (onChange) => client.onConnectionChange(onChange),
    () => client.connectionStatus(),
  );
  const [now, setNow] = useState(() => Date.now());
  const [back, setBack] = useState(false);

  const counting = status.state === 'reconnecting' && status.retryAt !== null;
  useEffect(() => {
    if (!counting) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0); // a fresh clock for this wait, not the last one's
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [counting, status]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = client.onReconnect(() => {
      setBack(true);
      clearTimeout(timer);
      timer = setTimeout(() => setBack(false), BACK_VISIBLE_MS);
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [client]);

  const content: BannerContent | null =
    bannerContent(status, client.canReconnectNow, now) ??
    (back && status.state === 'live'
      ? { tone: 'back', message: BACK_TEXT, countdown: null, canRetry: false }
      : null);

  return (
    <section className="connection-banner" aria-label="Connection" data-tone={content?.tone}>
      <p aria-live="polite">{content?.message}</p>
      {content?.countdown ? (
        <span className="connection-countdown">{content.countdown}</span>
      ) : null}
      {content?.canRetry ? (
        <button type="button" onClick={() => client.reconnectNow()}>
          Try now
        </button>
      ) : null}
    </section>
  );
}
