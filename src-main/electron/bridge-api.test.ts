import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { createBridge } from './bridge-api';
import { EVENT_CHANNEL, INVOKE_CHANNEL, MENU_COMMAND_CHANNEL, SET_TOKEN_CHANNEL } from './channels';

type Listener = (event: unknown, message: unknown) => void;

/** Plays ipcRenderer: records what would cross to main and lets the test push events. */
function fakeIpcRenderer(
  answer: (channel: string, args: unknown[]) => unknown = () => ({ ok: true }),
) {
  const sent: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: async (channel: string, ...args: unknown[]) => {
      sent.push({ channel, args });
      return answer(channel, args);
    },
    on(channel: string, listener: Listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
      return ipc;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipc;
    },
  };
  const push = (message: unknown, channel = EVENT_CHANNEL) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipc' }, message);
  };
  const listenerCount = (channel = EVENT_CHANNEL) => listeners.get(channel)?.size ?? 0;
  return { ipc: ipc as unknown as Parameters<typeof createBridge>[0], sent, push, listenerCount };
}

describe('window.stagingEditor', () => {
  it('has exactly invoke, on, onMenuCommand and setToken', () => {
    expect(Object.keys(createBridge(fakeIpcRenderer().ipc)).sort()).toEqual([
      'invoke',
      'on',
      'onMenuCommand',
      'setToken',
    ]);
  });

  it('sends a contract operation over the one invoke channel, without a token', async () => {
    const fake = fakeIpcRenderer(() => ({ ok: true, value: { status: 'ok' } }));
    const bridge = createBridge(fake.ipc);
    await expect(bridge.invoke('health', {})).resolves.toEqual({
      ok: true,
      value: { status: 'ok' },
    });
    expect(fake.sent).toEqual([{ channel: INVOKE_CHANNEL, args: ['health', {}] }]);
  });

  it('answers an unknown operation itself, in the one error format, sending nothing', async () => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake.ipc);
    for (const name of ['dropDatabase', '__proto__', 'constructor', 42, null]) {
      const result = await bridge.invoke(name as never, {});
      expect(result).toMatchObject({ ok: false, error: { status: 'error', type: 'not_found' } });
    }
    expect(fake.sent).toEqual([]);
  });

  it('delivers only the payload of the event subscribed to, and unsubscribes', () => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake.ipc);
    const received: unknown[] = [];
    const off = bridge.on('scanProgress', (payload) => received.push(payload));
    fake.push({ name: 'placesChanged', payload: { place_ids: null, reason: 'status' } });
    fake.push({ name: 'scanProgress', payload: { running: true } });
    fake.push('garbage');
    fake.push(null);
    expect(received).toEqual([{ running: true }]);
    off();
    expect(fake.listenerCount()).toBe(0);
    fake.push({ name: 'scanProgress', payload: { running: false } });
    expect(received).toHaveLength(1);
  });

  it('refuses to subscribe to an event that does not exist', () => {
    const bridge = createBridge(fakeIpcRenderer().ipc);
    expect(() => bridge.on('ipc-internal' as never, () => {})).toThrow(TypeError);
    expect(() => bridge.on('scanProgress', 'not a function' as never)).toThrow(TypeError);
  });

  it("hands the page the menu's commands by name, drops any other message, and unsubscribes", () => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake.ipc);
    const received: string[] = [];
    const off = bridge.onMenuCommand((command) => received.push(command));
    fake.push('importPlaces', MENU_COMMAND_CHANNEL);
    fake.push('dropDatabase', MENU_COMMAND_CHANNEL);
    fake.push({ name: 'exportPlaces' }, MENU_COMMAND_CHANNEL);
    fake.push('showShortcuts', MENU_COMMAND_CHANNEL);
    // A contract event on the event channel is not a menu command.
    fake.push('openSettings');
    expect(received).toEqual(['importPlaces', 'showShortcuts']);
    off();
    expect(fake.listenerCount(MENU_COMMAND_CHANNEL)).toBe(0);
    expect(() => bridge.onMenuCommand('nope' as never)).toThrow(TypeError);
  });

  it("sends the sign-in token on its own channel and rejects with main's sentence", async () => {
    const fake = fakeIpcRenderer((_channel, [token]) =>
      token === 'a.b.c'
        ? { ok: true }
        : {
            ok: false,
            error: { status: 'error', type: 'bad_request', detail: 'That is not a token.' },
          },
    );
    const bridge = createBridge(fake.ipc);
    await expect(bridge.setToken('a.b.c')).resolves.toBeUndefined();
    await expect(bridge.setToken('nope')).rejects.toThrow('That is not a token.');
    await expect(bridge.setToken(42 as never)).rejects.toThrow(TypeError);
    expect(fake.sent.map((s) => s.channel)).toEqual([SET_TOKEN_CHANNEL, SET_TOKEN_CHANNEL]);
  });
});

describe('the preload bundle', () => {
  it("loads nothing but 'electron' at run time (a sandboxed preload can load nothing else)", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./preload.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      // As electron-vite does: packages stay external, so any package import would show here.
      packages: 'external',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\(/);
  });
});
