// Which rows of a fixed-row-height list are in view, and where to draw them. Pure arithmetic, O(rows in
// view): nothing is allocated per row of the list, so ten million rows cost what forty do.
// (@tanstack/react-virtual keeps a measurement per row, 24 bytes and a loop step each time the count
// changes: 240 MB and ~120 ms per expand on a 10M-row list; fixed heights need none of that.)
// Browsers cap an element's height (~33M px in Chromium), so past MAX_SCROLL_PX the real scroll range is
// a linear map of the virtual one, exact at both ends.

export const MAX_SCROLL_PX = 8_000_000;

export interface RowWindow {
  /** First and one-past-last row to render (overscan included). */
  start: number;
  end: number;
  /** Height of the scrolled content in real pixels. */
  height: number;
  /** Virtual pixels per real pixel (1 unless the list is taller than MAX_SCROLL_PX). */
  scale: number;
  /** Real top of row `start`; row i sits at `top + (i - start) · rowHeight`. */
  top: number;
}

export function rowWindow(
  scrollTop: number,
  viewport: number,
  count: number,
  rowHeight: number,
  overscan = 6,
): RowWindow {
  const virtualHeight = count * rowHeight;
  const height = Math.min(virtualHeight, MAX_SCROLL_PX);
  const scale = scaleOf(virtualHeight, height, viewport);
  const maxTop = Math.max(0, height - viewport);
  const realTop = Math.min(Math.max(0, scrollTop), maxTop);
  const virtualTop = realTop * scale;
  const start = Math.max(0, Math.floor(virtualTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((virtualTop + viewport) / rowHeight) + overscan);
  return { start, end, height, scale, top: realTop + (start * rowHeight - virtualTop) };
}

/** The real scrollTop that shows row `index` at the top, centred, or just in view from `scrollTop`. */
export function scrollTopFor(
  index: number,
  align: 'start' | 'center' | 'auto',
  scrollTop: number,
  viewport: number,
  count: number,
  rowHeight: number,
): number {
  const virtualHeight = count * rowHeight;
  const height = Math.min(virtualHeight, MAX_SCROLL_PX);
  const scale = scaleOf(virtualHeight, height, viewport);
  const rowTop = index * rowHeight;
  const virtualTop = scrollTop * scale;
  let target: number;
  if (align === 'center') target = rowTop - (viewport - rowHeight) / 2;
  else if (align === 'start') target = rowTop;
  else if (rowTop < virtualTop) target = rowTop;
  else if (rowTop + rowHeight > virtualTop + viewport) target = rowTop + rowHeight - viewport;
  else return scrollTop;
  const maxTop = Math.max(0, height - viewport);
  return Math.min(maxTop, Math.max(0, target / scale));
}

function scaleOf(virtualHeight: number, height: number, viewport: number): number {
  if (virtualHeight <= height) return 1;
  return (virtualHeight - viewport) / Math.max(1, height - viewport);
}
