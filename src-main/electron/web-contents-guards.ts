import type { Session, WebContents } from 'electron';
import { navigationDecision } from './external-links';

/**
 * Applied to every webContents the app creates (from 'web-contents-created'), so a window or
 * frame nobody planned for gets the same rules: no navigation away from app://, no new windows
 * (http(s), tel: and mailto: links go to the OS instead), no webviews.
 */
export function guardWebContents(
  contents: WebContents,
  openExternalSafely: (url: string) => boolean,
  /** electron-vite's dev server in development (renderer-source.ts), else undefined. */
  devOrigin?: string,
): void {
  contents.on('will-navigate', (event) => {
    const decision = navigationDecision(event.url, devOrigin);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-externally') openExternalSafely(event.url);
  });
  // Sub-frames (the page has none of its own) may not wander off either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && navigationDecision(event.url, devOrigin) !== 'allow')
      event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (navigationDecision(event.url, devOrigin) !== 'allow') event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (navigationDecision(url, devOrigin) === 'open-externally') openExternalSafely(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The reviewer's desk needs no camera, location, notifications, USB or anything else. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
