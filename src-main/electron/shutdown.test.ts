import { describe, expect, it } from 'vitest';
import { createShutdown } from './shutdown';

describe('quitting', () => {
  it('closes the backend once however many times quit is asked for', async () => {
    let closed = 0;
    let release!: () => void;
    const shutdown = createShutdown(
      () =>
        new Promise<void>((resolve) => {
          closed += 1;
          release = resolve;
        }),
    );
    expect(shutdown.started).toBe(false);
    const first = shutdown.run();
    const second = shutdown.run();
    expect(shutdown.started).toBe(true);
    expect(shutdown.finished).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(shutdown.finished).toBe(true);
    await shutdown.run();
    expect(closed).toBe(1);
  });

  it('counts a failed close as finished, so quitting cannot hang', async () => {
    const shutdown = createShutdown(() => Promise.reject(new Error('database gone')));
    await expect(shutdown.run()).rejects.toThrow('database gone');
    expect(shutdown.finished).toBe(true);
  });
});
