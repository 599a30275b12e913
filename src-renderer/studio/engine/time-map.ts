/**
 * Time <-> pixel mapping of the timeline (ruler, curve editor, playhead). Pure functions over
 * a small view record so they are shared by every lane and unit-tested.
 */
export interface TimeView {
  /** Frame (fractional) at the left edge of the lane. */
  start: number;
  /** Horizontal zoom. */
  pxPerFrame: number;
}

export const MIN_PX_PER_FRAME = 0.05;
export const MAX_PX_PER_FRAME = 200;

export function frameToX(v: TimeView, frame: number): number {
  return (frame - v.start) * v.pxPerFrame;
}

export function xToFrame(v: TimeView, x: number): number {
  return v.start + x / v.pxPerFrame;
}

/** The integer frame under x, clamped into [0, frameCount - 1]. */
export function xToFrameSnapped(v: TimeView, x: number, frameCount: number): number {
  return clampFrame(Math.round(xToFrame(v, x)), frameCount);
}

export function clampFrame(f: number, frameCount: number): number {
  if (frameCount <= 0) return 0;
  return Math.min(frameCount - 1, Math.max(0, Math.round(f)));
}

/** Zooms by `factor` (>1 zooms in) keeping the frame under pixel x where it is. */
export function zoomAt(v: TimeView, x: number, factor: number): TimeView {
  const pxPerFrame = Math.min(MAX_PX_PER_FRAME, Math.max(MIN_PX_PER_FRAME, v.pxPerFrame * factor));
  const anchor = xToFrame(v, x);
  return { pxPerFrame, start: anchor - x / pxPerFrame };
}

export function panBy(v: TimeView, dx: number): TimeView {
  return { ...v, start: v.start - dx / v.pxPerFrame };
}

/** A view showing frames [first, last] across `width` pixels with `padPx` margin each side. */
export function fitFrames(first: number, last: number, width: number, padPx = 12): TimeView {
  const span = Math.max(1, last - first);
  const usable = Math.max(1, width - 2 * padPx);
  const pxPerFrame = Math.min(MAX_PX_PER_FRAME, Math.max(MIN_PX_PER_FRAME, usable / span));
  return { pxPerFrame, start: first - padPx / pxPerFrame };
}

/** Keeps `frame` visible, scrolling by whole pages (as editors follow the playhead). */
export function follow(v: TimeView, frame: number, width: number): TimeView {
  const x = frameToX(v, frame);
  if (x >= 0 && x <= width) return v;
  return { ...v, start: frame - (0.1 * width) / v.pxPerFrame };
}

/** Frame distance between labelled ticks so labels are at least `minPx` apart. */
export function tickStep(pxPerFrame: number, fps: number, minPx = 64): number {
  const f = Math.max(1, Math.round(fps));
  const candidates = [1, 2, 5, 10, f, 2 * f, 5 * f, 10 * f, 30 * f, 60 * f, 300 * f, 600 * f].sort((a, b) => a - b);
  for (const c of candidates) if (c * pxPerFrame >= minPx) return c;
  return candidates[candidates.length - 1]!;
}

/** Integer tick frames inside the visible lane. */
export function ticks(v: TimeView, width: number, step: number): number[] {
  const first = Math.ceil(xToFrame(v, 0) / step) * step;
  const last = xToFrame(v, width);
  const out: number[] = [];
  for (let f = Math.max(0, first); f <= last; f += step) out.push(f);
  return out;
}

/**
 * SMPTE timecode HH:MM:SS:FF, non-drop, always four fields: editors read three fields as
 * hours, minutes and seconds (a 3:20 clip once showed 03:19:23).
 */
export function timecode(frame: number, fps: number): string {
  const f = Math.max(0, Math.round(frame));
  const r = Math.max(1, Math.round(fps));
  const ff = f % r;
  const totalSec = Math.floor(f / r);
  const ss = totalSec % 60;
  const mm = Math.floor(totalSec / 60) % 60;
  const hh = Math.floor(totalSec / 3600);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(hh)}:${p(mm)}:${p(ss)}:${p(ff)}`;
}

/** Vertical value axis of the curve editor. */
export interface ValueView {
  min: number;
  max: number;
}

export function valueToY(v: ValueView, value: number, top: number, height: number): number {
  const span = v.max - v.min || 1;
  return top + ((v.max - value) / span) * height;
}

export function yToValue(v: ValueView, y: number, top: number, height: number): number {
  const span = v.max - v.min || 1;
  return v.max - ((y - top) / height) * span;
}

/** A value range covering [lo, hi] with 10% headroom (and a minimum span so flat curves show). */
export function fitValues(lo: number, hi: number, minSpan = 1e-3): ValueView {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: -1, max: 1 };
  let span = hi - lo;
  if (span < minSpan) {
    const mid = (lo + hi) / 2;
    return { min: mid - minSpan / 2 - minSpan * 0.1, max: mid + minSpan / 2 + minSpan * 0.1 };
  }
  span *= 0.1;
  return { min: lo - span, max: hi + span };
}
