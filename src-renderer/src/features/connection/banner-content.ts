import type { ConnectionStatus } from '../../api/transport';

export interface BannerContent {
  tone: 'offline' | 'failed' | 'back';
  /** The sentence announced to screen readers (it changes only when the situation does). */
  message: string;
  /** The countdown to the next attempt, shown but not announced (it changes every second). */
  countdown: string | null;
  canRetry: boolean;
}

export const OFFLINE_TEXT = 'Offline: cannot reach the Staging Editor server.';
export const BACKEND_RESTARTING_TEXT = "The app's background service stopped and is restarting.";
export const BACKEND_FAILED_TEXT =
  "The app's background service could not be restarted. Quit and reopen Staging Editor.";
export const BACK_TEXT = 'Connected again.';

/**
 * What the connection banner says for a status (null: nothing to say). `canRetry` is whether the
 * transport can try at once (HTTP); the desktop's main process restarts its backend by itself.
 */
export function bannerContent(
  status: ConnectionStatus,
  canRetry: boolean,
  now: number,
): BannerContent | null {
  switch (status.state) {
    case 'unknown':
    case 'live':
      return null;
    case 'failed':
      return {
        tone: 'failed',
        message: status.detail ?? BACKEND_FAILED_TEXT,
        countdown: null,
        canRetry: false,
      };
    case 'reconnecting':
      if (!canRetry) {
        return {
          tone: 'offline',
          message: status.detail ?? BACKEND_RESTARTING_TEXT,
          countdown: null,
          canRetry: false,
        };
      }
      return {
        tone: 'offline',
        message: OFFLINE_TEXT,
        countdown: countdown(status, now),
        canRetry,
      };
  }
}

function countdown(status: ConnectionStatus, now: number): string {
  if (status.retryAt === null || status.retryAt <= now) return 'Trying again now…';
  return `Trying again in ${Math.ceil((status.retryAt - now) / 1000)} s.`;
}
