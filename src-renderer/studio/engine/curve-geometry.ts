/**
 * Screen geometry of the curve editor: where keys and tangent handles are drawn, what the
 * pointer hits, what a box selects, and how a drag maps back to frames/values. Pure (no DOM)
 * so it is unit-tested and shared by drawing and interaction.
 *
 * A key is an offset on top of the base curve; it is drawn on the curve the channel shows,
 * at (frame, base[frame] + offset), so dragging a key up by v raises the result by v there.
 * Tangent handles show the key's bezier slopes (offset units per frame).
 */
import type { ChannelId, TimelineDoc } from '../../../src-shared/timeline/index.js';
import { channelEdit } from '../../../src-shared/timeline/index.js';
import { frameToX, valueToY, xToFrame, yToValue, type TimeView, type ValueView } from './time-map.js';

export interface KeyRef {
  channel: ChannelId;
  frame: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface KeyPoint extends KeyRef, Point {
  /** The key's offset value and the value drawn (base + offset). */
  offset: number;
  shown: number;
  /** Handles only for selected bezier keys with a neighbour on that side. */
  inHandle: Point | null;
  outHandle: Point | null;
}

export interface Plot {
  time: TimeView;
  value: ValueView;
  top: number;
  height: number;
}

export type Hit = { kind: 'key' | 'inHandle' | 'outHandle'; channel: ChannelId; frame: number };

export function keyId(r: KeyRef): string {
  return `${r.channel}@${r.frame}`;
}

export function parseKeyId(id: string): KeyRef {
  const at = id.lastIndexOf('@');
  return { channel: id.slice(0, at) as ChannelId, frame: Number(id.slice(at + 1)) };
}

/** Base value of a channel at a (possibly fractional) frame, held at the ends. */
export function baseAt(doc: TimelineDoc, channel: ChannelId, frame: number): number {
  const a = doc.base.channels[channel];
  const n = doc.base.frameCount;
  if (!a || n === 0) return 0;
  const f = Math.min(n - 1, Math.max(0, Math.round(frame)));
  return a[f] ?? 0;
}

/** Handle reach in frames: a third of the adjacent segment (5 frames with no neighbour). */
function reach(a: number | undefined, b: number): number {
  return a === undefined ? 5 : Math.abs(b - a) / 3;
}

export function layoutKeys(channels: readonly ChannelId[], doc: TimelineDoc, plot: Plot, selected: ReadonlySet<string>): KeyPoint[] {
  const out: KeyPoint[] = [];
  const px = (f: number, v: number): Point => ({ x: frameToX(plot.time, f), y: valueToY(plot.value, v, plot.top, plot.height) });
  for (const channel of channels) {
    const keys = channelEdit(doc.edits, channel).keys;
    keys.forEach((k, i) => {
      const shown = baseAt(doc, channel, k.frame) + k.value;
      const p = px(k.frame, shown);
      const sel = selected.has(keyId({ channel, frame: k.frame }));
      const prev = keys[i - 1];
      const next = keys[i + 1];
      let inHandle: Point | null = null;
      let outHandle: Point | null = null;
      if (sel && prev && prev.interp === 'bezier') {
        const r = reach(prev.frame, k.frame);
        inHandle = px(k.frame - r, shown - k.inSlope * r);
      }
      if (sel && next && k.interp === 'bezier') {
        const r = reach(next.frame, k.frame);
        outHandle = px(k.frame + r, shown + k.outSlope * r);
      }
      out.push({ channel, frame: k.frame, offset: k.value, shown, x: p.x, y: p.y, inHandle, outHandle });
    });
  }
  return out;
}

function d2(a: Point, x: number, y: number): number {
  return (a.x - x) ** 2 + (a.y - y) ** 2;
}

/** The nearest key or handle within `radius` px of (x, y); handles win ties with keys. */
export function hitTest(points: readonly KeyPoint[], x: number, y: number, radius = 6): Hit | null {
  const r2 = radius * radius;
  let best: Hit | null = null;
  let bestD = Infinity;
  for (const p of points) {
    for (const kind of ['inHandle', 'outHandle'] as const) {
      const h = p[kind];
      if (!h) continue;
      const d = d2(h, x, y);
      if (d <= r2 && d < bestD) {
        bestD = d;
        best = { kind, channel: p.channel, frame: p.frame };
      }
    }
  }
  if (best) return best;
  for (const p of points) {
    const d = d2(p, x, y);
    if (d <= r2 && d < bestD) {
      bestD = d;
      best = { kind: 'key', channel: p.channel, frame: p.frame };
    }
  }
  return best;
}

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Keys inside a rubber-band rectangle given by any two opposite corners. */
export function boxSelect(points: readonly KeyPoint[], r: Rect): KeyRef[] {
  const lx = Math.min(r.x0, r.x1);
  const hx = Math.max(r.x0, r.x1);
  const ly = Math.min(r.y0, r.y1);
  const hy = Math.max(r.y0, r.y1);
  return points.filter((p) => p.x >= lx && p.x <= hx && p.y >= ly && p.y <= hy).map((p) => ({ channel: p.channel, frame: p.frame }));
}

/** A key drag in pixels as a whole-frame time shift and a value shift. */
export function dragDelta(plot: Plot, dxPx: number, dyPx: number): { dFrame: number; dValue: number } {
  const dFrame = Math.round(dxPx / plot.time.pxPerFrame);
  const dValue = yToValue(plot.value, plot.top + dyPx, plot.top, plot.height) - yToValue(plot.value, plot.top, plot.top, plot.height);
  return { dFrame, dValue };
}

/** Slope (value per frame) of a handle dragged to screen point p, for a key drawn at `key`. */
export function slopeFromHandle(plot: Plot, key: KeyPoint, p: Point, side: 'in' | 'out'): number {
  const kf = key.frame;
  let hf = xToFrame(plot.time, p.x);
  // A handle cannot cross its key: keep at least a tenth of a frame on its own side.
  if (side === 'out') hf = Math.max(kf + 0.1, hf);
  else hf = Math.min(kf - 0.1, hf);
  const hv = yToValue(plot.value, p.y, plot.top, plot.height);
  return (hv - key.shown) / (hf - kf);
}
