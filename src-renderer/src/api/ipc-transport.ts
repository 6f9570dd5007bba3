import type { EventName, OperationName } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import type { StagingEditorBridge } from './bridge';
import type { Transport } from './transport';

/** The desktop app: the preload bridge carries calls and events; main attaches the user's token. */
export function createIpcTransport(bridge: StagingEditorBridge): Transport {
  return {
    kind: 'ipc',
    async invoke(name: OperationName, input: unknown) {
      const result = await bridge.invoke(name, input);
      if (!result.ok) throw AppError.fromBody(result.error);
      return result.value;
    },
    subscribe(event: EventName, listener: (payload: unknown) => void) {
      return bridge.on(event, listener);
    },
    // IPC events never drop while the window lives.
    onReconnect: () => () => {},
  };
}
