import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../../src-shared/contract';
import { useClient } from '../../api/client-context';
import { onlineAnnouncement } from './sync-indicator-model';

/**
 * The backend's sync status: read once at start, after every sign-in and after the event stream
 * reconnects, then kept fresh by the pushed `syncStatus` event. Null until the first answer (and
 * while the backend can't say): the indicator stays hidden then. `announcement` is the polite
 * live region's text, changed only when the app goes offline or comes back online.
 */
export function useSyncStatus(epoch: number) {
  const client = useClient();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const previous = useRef<SyncStatus | null>(null);
  /** Bumped by every pushed status: a read answered after one is older than it, and dropped. */
  const pushed = useRef(0);

  const accept = useCallback((next: SyncStatus) => {
    const said = onlineAnnouncement(previous.current, next);
    previous.current = next;
    if (said) setAnnouncement(said);
    setStatus(next);
  }, []);

  const read = useCallback(() => {
    const seen = pushed.current;
    client.call('syncStatus', {}).then(
      (next) => {
        if (pushed.current === seen) accept(next);
      },
      () => {
        // Signed out or unreachable: the sign-in screen and the connection notice say so.
      },
    );
  }, [client, accept]);

  useEffect(() => {
    read();
  }, [read, epoch]);

  useEffect(() => {
    const stops = [
      client.on('syncStatus', (next) => {
        pushed.current++;
        accept(next);
      }),
      client.onReconnect(read),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client, accept, read]);

  /** An answer that carries a status (setOffline): take it at once, the event may follow. */
  const update = useCallback(
    (next: SyncStatus) => {
      pushed.current++;
      accept(next);
    },
    [accept],
  );

  return { status, announcement, update, refresh: read };
}
