import { hostBackend } from '../../src-main/electron/backend-host';

/**
 * Stands in for Electron's utility process (backend-process.ts): the same host, with the
 * `child_process.fork` IPC channel as its port.
 */
hostBackend(
  {
    postMessage: (message) => process.send!(message),
    on: (_event, listener) => process.on('message', listener),
  },
  { exit: (code) => process.exit(code) },
);
