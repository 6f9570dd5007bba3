import { useSyncExternalStore } from 'react';
import type { ApiClient } from '../../api/client';

export const CONNECTION_LOST_TEXT =
  'Live updates paused: the connection to the server was lost. Reconnecting…';

/**
 * Says so while pushed events can't arrive (the grid and summary may be out of date then); once
 * the stream is back, the grid and summary re-read and the notice goes. The region stays in the
 * page (empty when live) so screen readers announce the change.
 */
export function ConnectionNotice({ client }: { client: ApiClient }) {
  const connected = useSyncExternalStore(
    (onChange) => client.onConnectionChange(onChange),
    () => client.connection(),
  );
  const lost = connected === false;
  return (
    <p className="connection-notice" aria-live="polite" data-state={lost ? 'lost' : 'live'}>
      {lost ? CONNECTION_LOST_TEXT : null}
    </p>
  );
}
