import { describe, expect, it } from 'vitest';
import { eventLoopLoad, type LoopTime } from '../../src-main/scan/loop-load';

/** A loop whose time is set by the test: `work(ms)` at work, `wait(ms)` waiting. */
function fakeLoop() {
  const time: LoopTime = { active: 0, idle: 0 };
  let clock = 0;
  return {
    read: () => ({ ...time }),
    now: () => clock,
    work(ms: number) {
      time.active += ms;
      clock += ms;
    },
    wait(ms: number) {
      time.idle += ms;
      clock += ms;
    },
  };
}

describe('eventLoopLoad', () => {
  it('is busy after a window at work for at least the threshold, idle after one below it', () => {
    const loop = fakeLoop();
    const busy = eventLoopLoad({ threshold: 0.75, windowMs: 100, read: loop.read, now: loop.now });
    expect(busy()).toBe(false);
    loop.work(80);
    loop.wait(20);
    expect(busy()).toBe(true);
    loop.work(70);
    loop.wait(30);
    expect(busy()).toBe(false);
    loop.work(75);
    loop.wait(25);
    expect(busy()).toBe(true);
  });

  it('keeps its answer within a window and takes the next from that window alone', () => {
    const loop = fakeLoop();
    const busy = eventLoopLoad({ threshold: 0.75, windowMs: 100, read: loop.read, now: loop.now });
    loop.work(100);
    expect(busy()).toBe(true);
    // Idle since, but the window is not over: the last answer stands.
    loop.wait(99);
    expect(busy()).toBe(true);
    loop.wait(1);
    expect(busy()).toBe(false);
    // The busy first window does not count in this one.
    loop.work(50);
    loop.wait(50);
    expect(busy()).toBe(false);
  });

  it('reads the real loop by default: a loop blocked for a window is busy', () => {
    const busy = eventLoopLoad({ windowMs: 20 });
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // Block the loop: all of the window is at work.
    }
    expect(busy()).toBe(true);
  });
});
