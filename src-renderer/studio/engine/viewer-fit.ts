/**
 * How the viewer's panels tile the pane they are given: the column count that makes the
 * square preview of every visible panel as large as possible with all of them on screen.
 * Pure, so the one-screen rule is unit-tested without a browser.
 */
export interface ViewerFit {
  columns: number;
  /** Side of each panel's square content box, px (the title bar comes on top). */
  cell: number;
  /** False when even the smallest allowed cell cannot show every panel: the pane scrolls. */
  fits: boolean;
}

export interface FitOptions {
  gap: number;
  /** Height of a panel's title bar, px. */
  titleBar: number;
  /** A panel's own border, both sides together, px. */
  frame: number;
  /** Below this a preview is useless; the pane scrolls instead. */
  minCell: number;
}

export const VIEWER_FIT: FitOptions = { gap: 8, titleBar: 30, frame: 2, minCell: 96 };

export function fitPanels(count: number, width: number, height: number, o: FitOptions = VIEWER_FIT): ViewerFit {
  if (count <= 0 || width <= 0 || height <= 0) return { columns: 1, cell: o.minCell, fits: count <= 0 };
  let best: ViewerFit = { columns: 1, cell: 0, fits: false };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const byWidth = (width - o.gap * (columns - 1)) / columns - o.frame;
    const byHeight = (height - o.gap * (rows - 1)) / rows - o.titleBar - o.frame;
    const cell = Math.floor(Math.min(byWidth, byHeight));
    if (cell > best.cell) best = { columns, cell, fits: true };
  }
  if (best.cell >= o.minCell) return best;
  // Too small for all: keep the widest column count that still gives minCell-wide panels.
  const columns = Math.max(1, Math.min(count, Math.floor((width + o.gap) / (o.minCell + o.frame + o.gap))));
  return { columns, cell: Math.max(o.minCell, Math.floor((width - o.gap * (columns - 1)) / columns) - o.frame), fits: false };
}

/** One enlarged panel takes the whole pane: its content box, px. */
export function enlargedBox(width: number, height: number, o: FitOptions = VIEWER_FIT): { width: number; height: number } {
  return { width: Math.max(o.minCell, Math.floor(width - o.frame)), height: Math.max(o.minCell, Math.floor(height - o.titleBar - o.frame)) };
}
