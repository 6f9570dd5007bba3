/**
 * The sandboxed preload. It is CommonJS (see electron.vite.config.ts) and loads nothing but
 * 'electron' at run time: its local imports are bundled in, and the contract's names come from
 * the inlined bridge-names.ts, not from src-shared (which would pull in zod).
 *
 * For the renderer, `window.stagingEditor` is:
 *
 *   invoke(name, input): Promise<DispatchResult>
 *     One contract operation. Never rejects for a backend failure: `{ok: false, error}` carries
 *     the one error format. No token: main attaches it. An unknown name answers
 *     `{ok: false, error: {type: 'not_found'}}` without reaching main.
 *
 *   on(event, callback): () => void
 *     Pushed events (`placesChanged`, `scanProgress`); `callback(payload)`. Returns the
 *     unsubscribe function. Throws a TypeError for a name that is not an event.
 *
 *   setToken(token: string): Promise<void>
 *     Only when the backend verifies real JWTs (JWT_SECRET / JWT_PUBLIC_KEY / JWT_JWKS_URL):
 *     the sign-in screen passes the pasted token here; main saves it encrypted with the OS
 *     keychain and uses it for every later `invoke`. `setToken('')` signs out (forgets it).
 *     Rejects with an Error whose message is one sentence to show the user: not a JWT, no
 *     keyring to encrypt it with (common on bare Linux desktops), or single-user mode, where
 *     main signs its own token and this is never needed. After an `unauthorized` error from
 *     `invoke`, show the sign-in screen and call `setToken` again.
 *
 *   onMenuCommand(callback): () => void
 *     The application menu's page commands (src-shared/menu-commands.ts: File > Import Places…,
 *     Export Places…, Settings…, Help > Keyboard Shortcuts); `callback(name)`. Names not in
 *     that list are dropped. Returns the unsubscribe function.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge-api';

contextBridge.exposeInMainWorld('stagingEditor', createBridge(ipcRenderer));
