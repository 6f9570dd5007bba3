import { isRendererUrl } from './renderer-source';

/**
 * Whether an IPC message may reach the backend: it must come from the top frame of the main
 * window (the caller decides `isMainFrame` by comparing the sender frame with the window's main
 * frame), and that frame must show our own app:// page, not something it was navigated to (in
 * development, with `devOrigin`, a page of electron-vite's dev server: renderer-source.ts).
 */
export function isTrustedSender(
  url: string | undefined,
  isMainFrame: boolean,
  devOrigin?: string,
): boolean {
  return isMainFrame === true && isRendererUrl(url, devOrigin);
}
