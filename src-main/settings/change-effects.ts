import { authModeOf } from '../auth/key-config';
import type { Settings } from '../config';
import { logsDirectory } from '../log-files';

/**
 * What saving settings in the desktop app does beyond restarting the backend (which every saved
 * change does). Most settings are the backend's and take effect with its restart; the log level
 * applies at once (log-files.ts `update`). Two are decided by the main process at launch and
 * need the app restarted: single-user mode switched on or off (the window's sign-in is set up
 * at launch: its own key in single-user mode, a saved sign-in otherwise; between the other
 * modes a token the new keys refuse just brings the sign-in screen) and the log folder (the
 * open log file stays where it is until then).
 *
 * Returns the sentence to show when the app should restart, or null.
 */
export function relaunchReason(previous: Settings, next: Settings): string | null {
  const reasons: string[] = [];
  const isLocal = (settings: Settings) => authModeOf(settings) === 'local';
  if (isLocal(previous) !== isLocal(next)) reasons.push('the sign-in settings');
  if (logsDirectory(previous) !== logsDirectory(next)) reasons.push('the log folder');
  if (reasons.length === 0) return null;
  return `Restart Staging Editor to use ${reasons.join(' and ')} you saved; until then the window keeps the ones it started with.`;
}
