import { isAppUrl } from './app-protocol';

/**
 * Whether an IPC message may reach the backend: it must come from the top frame of the main
 * window (the caller decides `isMainFrame` by comparing the sender frame with the window's main
 * frame), and that frame must show our own app:// page, not something it was navigated to.
 */
export function isTrustedSender(url: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame === true && isAppUrl(url);
}
