import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { EventName, OperationName } from '../../src-shared/contract';
import type { DispatchResult } from '../router/dispatch-result';
import { isBridgeEventName, isBridgeOperationName } from './bridge-names';
import { isMenuCommand, type MenuCommand } from '../../src-shared/menu-commands';
import { EVENT_CHANNEL, INVOKE_CHANNEL, MENU_COMMAND_CHANNEL, SET_TOKEN_CHANNEL } from './channels';

/** What the preload puts on `window.stagingEditor` (see preload.ts for the renderer's notes). */
export interface StagingEditorBridge {
  invoke(name: OperationName, input: unknown): Promise<DispatchResult>;
  on(event: EventName, callback: (payload: unknown) => void): () => void;
  setToken(token: string): Promise<void>;
  onMenuCommand(callback: (command: MenuCommand) => void): () => void;
}

type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * The bridge built on ipcRenderer. It never hands the renderer an IPC event object or
 * ipcRenderer itself, only plain data, and it refuses names the contract does not have before
 * anything crosses to main (which checks again).
 */
export function createBridge(ipc: IpcRendererLike): StagingEditorBridge {
  return {
    invoke(name, input) {
      if (!isBridgeOperationName(name)) {
        return Promise.resolve({
          ok: false,
          error: {
            status: 'error',
            type: 'not_found',
            detail: `Unknown operation "${String(name).slice(0, 100)}".`,
          },
        });
      }
      return ipc.invoke(INVOKE_CHANNEL, name, input) as Promise<DispatchResult>;
    },

    on(event, callback) {
      if (!isBridgeEventName(event)) {
        throw new TypeError(`Unknown event "${String(event).slice(0, 100)}".`);
      }
      if (typeof callback !== 'function') throw new TypeError('The callback must be a function.');
      const listener = (_event: IpcRendererEvent, message: unknown) => {
        if (isEventMessage(message) && message.name === event) callback(message.payload);
      };
      ipc.on(EVENT_CHANNEL, listener);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, listener);
      };
    },

    onMenuCommand(callback) {
      if (typeof callback !== 'function') throw new TypeError('The callback must be a function.');
      const listener = (_event: IpcRendererEvent, command: unknown) => {
        if (isMenuCommand(command)) callback(command);
      };
      ipc.on(MENU_COMMAND_CHANNEL, listener);
      return () => {
        ipc.removeListener(MENU_COMMAND_CHANNEL, listener);
      };
    },

    async setToken(token) {
      if (typeof token !== 'string') throw new TypeError('The token must be a string.');
      const result = (await ipc.invoke(SET_TOKEN_CHANNEL, token)) as
        { ok: true } | { ok: false; error: { detail: string } };
      if (!result.ok) throw new Error(result.error.detail);
    },
  };
}

function isEventMessage(message: unknown): message is { name: string; payload: unknown } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { name?: unknown }).name === 'string'
  );
}
