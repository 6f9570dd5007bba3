import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { MIN_WINDOW_SIZE } from './window-options';

/** Where the window's size and position are kept between runs, in the userData folder. */
export const WINDOW_STATE_FILE = 'window-state.json';

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** x and y are absent when the window should be centred by the OS. */
export type WindowBounds = Partial<Pick<Rectangle, 'x' | 'y'>> &
  Pick<Rectangle, 'width' | 'height'>;

export interface WindowPlacement {
  bounds: WindowBounds;
  maximized: boolean;
}

const coordinate = z.number().int().min(-100_000).max(100_000);
const length = z.number().int().min(1).max(100_000);

export const savedWindowStateSchema = z.object({
  version: z.literal(1),
  bounds: z.object({ x: coordinate, y: coordinate, width: length, height: length }),
  maximized: z.boolean(),
});
export type SavedWindowState = z.infer<typeof savedWindowStateSchema>;

/** How much of the window must lie on a display for the saved position to be kept. */
const MIN_VISIBLE = { width: 120, height: 80 } as const;

/**
 * Where to open the window: the saved bounds when they are valid and still visible (a display
 * may have been unplugged), shrunk to fit that display's work area; otherwise the saved or
 * default size, centred on the primary display.
 */
export function placeWindow(
  saved: unknown,
  displays: { workAreas: readonly Rectangle[]; primary: Rectangle },
): WindowPlacement {
  const parsed = savedWindowStateSchema.safeParse(saved);
  if (!parsed.success) {
    return { bounds: centred(DEFAULT_WINDOW_SIZE, displays.primary), maximized: false };
  }
  const { bounds, maximized } = parsed.data;
  const best = mostOverlapping(bounds, displays.workAreas);
  if (!best) return { bounds: centred(bounds, displays.primary), maximized };
  const size = fitSize(bounds, best);
  return {
    bounds: {
      ...size,
      x: clamp(bounds.x, best.x, best.x + best.width - size.width),
      y: clamp(bounds.y, best.y, best.y + best.height - size.height),
    },
    maximized,
  };
}

export function windowStateToSave(normalBounds: Rectangle, maximized: boolean): SavedWindowState {
  const round = (n: number) => Math.round(n);
  return {
    version: 1,
    bounds: {
      x: round(normalBounds.x),
      y: round(normalBounds.y),
      width: round(normalBounds.width),
      height: round(normalBounds.height),
    },
    maximized,
  };
}

/** The saved state as stored (validated later by placeWindow), or undefined when none is saved. */
export function readWindowStateFile(filePath: string): unknown {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a file. */
export function writeWindowStateFile(filePath: string, state: SavedWindowState): void {
  const temporary = `${filePath}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, filePath);
}

function mostOverlapping(bounds: Rectangle, areas: readonly Rectangle[]): Rectangle | undefined {
  let best: Rectangle | undefined;
  let bestArea = 0;
  for (const area of areas) {
    const width =
      Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const height =
      Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    if (width < MIN_VISIBLE.width || height < MIN_VISIBLE.height) continue;
    if (width * height > bestArea) {
      best = area;
      bestArea = width * height;
    }
  }
  return best;
}

function fitSize(size: { width: number; height: number }, area: Rectangle) {
  return {
    width: Math.min(Math.max(size.width, MIN_WINDOW_SIZE.width), area.width),
    height: Math.min(Math.max(size.height, MIN_WINDOW_SIZE.height), area.height),
  };
}

function centred(size: { width: number; height: number }, area: Rectangle): Rectangle {
  const fitted = fitSize(size, area);
  return {
    ...fitted,
    x: Math.round(area.x + (area.width - fitted.width) / 2),
    y: Math.round(area.y + (area.height - fitted.height) / 2),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
