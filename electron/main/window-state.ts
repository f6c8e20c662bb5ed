// Remembers the main window's size, position and maximized state between runs (JSON in userData).
// A saved position on a display that is gone is dropped, so the window never opens off-screen.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };
const MIN = { width: 640, height: 400 };

export function stateFile(userData: string): string {
  return join(userData, 'window-state.json');
}

export function loadWindowState(file: string, displays: Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_STATE };
  }
  return sanitize(raw, displays);
}

export function sanitize(raw: unknown, displays: Rect[]): WindowState {
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_STATE };
  const r = raw as Record<string, unknown>;
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const state: WindowState = {
    width: num(r.width) ? Math.max(MIN.width, Math.round(r.width)) : DEFAULT_STATE.width,
    height: num(r.height) ? Math.max(MIN.height, Math.round(r.height)) : DEFAULT_STATE.height,
    maximized: r.maximized === true,
  };
  if (num(r.x) && num(r.y)) {
    const bounds = { x: Math.round(r.x), y: Math.round(r.y), width: state.width, height: state.height };
    if (displays.some((d) => overlapsEnough(bounds, d))) {
      state.x = bounds.x;
      state.y = bounds.y;
    }
  }
  return state;
}

/** At least a grabbable strip of the window (100×50) must be on the display. */
function overlapsEnough(a: Rect, b: Rect): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= 100 && h >= 50;
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(state)}\n`);
  } catch {
    // Losing the window position is not worth an error dialog on quit.
  }
}
