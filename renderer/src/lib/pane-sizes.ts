// The snapshot view's pane sizes (inspector width, retainers panel height): remembered in
// localStorage across reloads and tabs, and clamped to the window each time they are used, so that a
// size chosen on a large screen never hides the main table's numeric columns on a laptop.

export interface PaneSizes {
  /** Inspector width in px. */
  side: number;
  /** Retainers panel height in px; null keeps the stylesheet's proportional default. */
  bottom: number | null;
}

export const DEFAULT_PANES: PaneSizes = { side: 380, bottom: null };
export const PANES_KEY = 'heapscope.paneSizes';

/**
 * The inspector's least width: its references table's columns (110 + the name column at its floor,
 * 160, + 76) with the row indent and a scrollbar.
 */
export const SIDE_MIN = 360;
/**
 * Width the main pane keeps: the summary's numeric columns (454 px), the name column at its floor
 * (tree-table's NAME_FLOOR, 160 px), the row indent and a scrollbar.
 */
export const MAIN_MIN = 640;
const BOTTOM_MIN = 80;
/** Height kept above the retainers panel (process facts, toolbar, a table header and a few rows). */
const TOP_MIN = 300;

/** The inspector width to use in a snapshot view `width` px wide. */
export function clampSide(side: number, width: number): number {
  return Math.round(Math.max(SIDE_MIN, Math.min(side, width - MAIN_MIN)));
}

/** The retainers panel height to use in a snapshot view `height` px high. */
export function clampBottom(bottom: number, height: number): number {
  const most = Math.max(BOTTOM_MIN, Math.min(height * 0.7, height - TOP_MIN));
  return Math.round(Math.max(BOTTOM_MIN, Math.min(bottom, most)));
}

/** The sizes last saved, or the defaults when none were (or what was saved is not ours). */
export function loadPaneSizes(storage: Pick<Storage, 'getItem'> | undefined): PaneSizes {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(PANES_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return DEFAULT_PANES;
    const { side, bottom } = saved as Record<string, unknown>;
    return {
      side: isSize(side) ? side : DEFAULT_PANES.side,
      bottom: isSize(bottom) ? bottom : DEFAULT_PANES.bottom,
    };
  } catch {
    return DEFAULT_PANES; // unreadable JSON or storage refused (private mode): the defaults will do
  }
}

/** Saves `sizes`; the defaults are saved as nothing, so a reset stays a reset. */
export function savePaneSizes(
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined,
  sizes: PaneSizes,
) {
  try {
    if (sizes.side === DEFAULT_PANES.side && sizes.bottom === DEFAULT_PANES.bottom)
      storage?.removeItem(PANES_KEY);
    else storage?.setItem(PANES_KEY, JSON.stringify(sizes));
  } catch {
    // Storage full or refused: the sizes still apply until the window closes.
  }
}

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
