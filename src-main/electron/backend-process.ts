import { useSqliteNativeBinding } from '../db/sqlite-binding';
import { hostBackend } from './backend-host';

/**
 * The entry of Electron's utility process that runs the backend (store, dispatcher, scheduler)
 * off the main process, so SQLite and migrations never freeze the window. Main transfers one
 * MessagePort in its first message; everything else (the start message, calls, events, log
 * lines) travels on that port and is handled by backend-host.ts, which the Node tests run in a
 * forked child.
 */
process.parentPort.once('message', (event) => {
  const [port] = event.ports;
  if (!port) {
    process.exit(1);
    return;
  }
  // Main is gone (or closed the port): nothing left to serve.
  port.on('close', () => process.exit(0));
  hostBackend(
    {
      postMessage: (message) => port.postMessage(message),
      on: (_event, listener) => port.on('message', (messageEvent) => listener(messageEvent.data)),
    },
    { exit: (code) => process.exit(code), useSqliteBinding: useSqliteNativeBinding },
  );
  port.start();
});
