import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_WINDOW_SIZE } from './window-options';
import {
  DEFAULT_WINDOW_SIZE,
  placeWindow,
  readWindowStateFile,
  windowStateToSave,
  writeWindowStateFile,
  type Rectangle,
} from './window-state';

const laptop: Rectangle = { x: 0, y: 0, width: 1440, height: 875 };
const monitorOnTheRight: Rectangle = { x: 1440, y: -200, width: 2560, height: 1400 };
const displays = { workAreas: [laptop, monitorOnTheRight], primary: laptop };
const laptopOnly = { workAreas: [laptop], primary: laptop };

const saved = (bounds: Rectangle, maximized = false) => ({ version: 1, bounds, maximized });

describe('where the window opens', () => {
  it('reopens where it was left when that is still on a display', () => {
    const bounds = { x: 1600, y: 0, width: 1800, height: 1000 };
    expect(placeWindow(saved(bounds, true), displays)).toEqual({ bounds, maximized: true });
  });

  it('centres on the primary display when the saved display is gone', () => {
    const onMonitor = saved({ x: 1600, y: 0, width: 1800, height: 1000 });
    expect(placeWindow(onMonitor, laptopOnly)).toEqual({
      bounds: { x: 0, y: 0, width: 1440, height: 875 },
      maximized: false,
    });
    const small = saved({ x: 5000, y: 5000, width: 1000, height: 700 });
    expect(placeWindow(small, laptopOnly).bounds).toEqual({
      x: 220,
      y: 88,
      width: 1000,
      height: 700,
    });
  });

  it('pulls a window that hangs off the edge back onto its display', () => {
    const hanging = saved({ x: -500, y: 700, width: 1000, height: 700 });
    expect(placeWindow(hanging, laptopOnly).bounds).toEqual({
      x: 0,
      y: 175,
      width: 1000,
      height: 700,
    });
  });

  it('ignores a sliver that is barely visible', () => {
    const sliver = saved({ x: 1400, y: 100, width: 1000, height: 700 });
    expect(placeWindow(sliver, laptopOnly).bounds).toEqual({
      x: 220,
      y: 88,
      width: 1000,
      height: 700,
    });
  });

  it('shrinks a window larger than its display and grows one below the minimum', () => {
    const huge = saved({ x: 0, y: 0, width: 5000, height: 3000 });
    expect(placeWindow(huge, laptopOnly).bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
    const tiny = saved({ x: 100, y: 100, width: 200, height: 100 });
    expect(placeWindow(tiny, laptopOnly).bounds).toMatchObject(MIN_WINDOW_SIZE);
  });

  it('uses the default size, centred, for a missing or damaged state', () => {
    const centred = { x: 80, y: 38, ...DEFAULT_WINDOW_SIZE };
    for (const bad of [
      undefined,
      null,
      'x',
      { version: 2, bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: false },
      saved({ x: Number.NaN, y: 0, width: 800, height: 600 }),
      saved({ x: 0, y: 0, width: -5, height: 600 }),
      saved({ x: 1e12, y: 0, width: 800, height: 600 }),
      { version: 1, bounds: { x: '0', y: 0, width: 800, height: 600 }, maximized: false },
    ]) {
      expect(placeWindow(bad, laptopOnly), JSON.stringify(bad)).toEqual({
        bounds: centred,
        maximized: false,
      });
    }
  });
});

describe('the window state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'staging-editor-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips the normal bounds and the maximized flag', () => {
    const file = join(dir, 'window-state.json');
    expect(readWindowStateFile(file)).toBeUndefined();
    writeWindowStateFile(
      file,
      windowStateToSave({ x: 10.4, y: 20.6, width: 1200, height: 800 }, true),
    );
    const read = readWindowStateFile(file);
    expect(read).toEqual({
      version: 1,
      bounds: { x: 10, y: 21, width: 1200, height: 800 },
      maximized: true,
    });
    expect(placeWindow(read, laptopOnly)).toEqual({
      bounds: { x: 10, y: 21, width: 1200, height: 800 },
      maximized: true,
    });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('reports a damaged file rather than guessing', () => {
    const file = join(dir, 'damaged.json');
    writeFileSync(file, '{"version": 1, "bou');
    expect(() => readWindowStateFile(file)).toThrow(SyntaxError);
  });
});
