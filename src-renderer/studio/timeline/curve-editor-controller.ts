/**
 * The curve editor's canvas: drawing and pointer interaction, imperative (no React renders
 * while scrubbing or dragging). Drags preview through the pure applyCommand and commit one
 * undoable command on release.
 */
import {
  allocRange,
  applyCommand,
  channelDecl,
  channelEdit,
  heldEnds,
  channelIndex,
  evaluateRange,
  type ChannelId,
  type Command,
  type TimelineDoc,
} from '../../../src-shared/timeline/index.js';
import {
  boxSelect,
  dragDelta,
  hitTest,
  keyId,
  layoutKeys,
  slopeFromHandle,
  type Hit,
  type KeyPoint,
  type Plot,
} from '../engine/curve-geometry.js';
import type { StudioEditor } from '../engine/editor.js';
import {
  fitValues,
  frameToX,
  panBy,
  tickStep,
  ticks,
  valueToY,
  xToFrame,
  xToFrameSnapped,
  yToValue,
  zoomAt,
  type ValueView,
} from '../engine/time-map.js';

export const CURVE_COLORS = ['#7cb7ff', '#ffb454', '#8ee07a', '#ff7ab8', '#c69cff', '#5fe0d6', '#f2e16b', '#ff8a65'];

type Drag =
  | { kind: 'keys'; x0: number; y0: number; x: number; y: number; moved: boolean }
  | { kind: 'handle'; key: KeyPoint; side: 'in' | 'out'; slope: number }
  | { kind: 'box'; x0: number; y0: number; x1: number; y1: number; mode: 'replace' | 'add' }
  | { kind: 'pan'; lastX: number }
  | { kind: 'click'; x0: number; y0: number; shift: boolean };

const PAD_TOP = 10;
const PAD_BOTTOM = 10;

export class CurveEditorController {
  private readonly ctx: CanvasRenderingContext2D;
  private width = 0;
  private height = 0;
  private raf = 0;
  private drag: Drag | null = null;
  private evalCache: { doc: TimelineDoc; out: Float32Array[] } | null = null;
  private readonly offs: Array<() => void> = [];
  private readonly resize: ResizeObserver;
  /** Last laid-out keys (for hit-testing) and plot. */
  private points: KeyPoint[] = [];
  private plot: Plot | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly editor: StudioEditor,
  ) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable');
    this.ctx = ctx;
    const e = editor;
    for (const a of [e.view, e.valueView, e.doc, e.selection, e.frame, e.range]) this.offs.push(a.subscribe(() => this.schedule()));
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(canvas.parentElement ?? canvas);
    canvas.addEventListener('pointerdown', this.onDown);
    canvas.addEventListener('pointermove', this.onMove);
    canvas.addEventListener('pointerup', this.onUp);
    canvas.addEventListener('pointercancel', this.onCancel);
    canvas.addEventListener('dblclick', this.onDbl);
    canvas.addEventListener('wheel', this.onWheel, { passive: false });
    this.fit();
  }

  dispose(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.offs.forEach((o) => o());
    this.resize.disconnect();
    const c = this.canvas;
    c.removeEventListener('pointerdown', this.onDown);
    c.removeEventListener('pointermove', this.onMove);
    c.removeEventListener('pointerup', this.onUp);
    c.removeEventListener('pointercancel', this.onCancel);
    c.removeEventListener('dblclick', this.onDbl);
    c.removeEventListener('wheel', this.onWheel);
  }

  private fit(): void {
    const host = this.canvas.parentElement ?? this.canvas;
    const w = Math.max(1, Math.floor(host.clientWidth));
    const h = Math.max(1, Math.floor(host.clientHeight));
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    this.width = w;
    this.height = h;
    this.canvas.width = w * dpr;
    this.canvas.height = h * dpr;
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.editor.setLaneWidth(w);
    this.drawNow();
  }

  private schedule(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.drawNow();
    });
  }

  // ---- geometry --------------------------------------------------------------------

  private evaluated(doc: TimelineDoc): Float32Array[] {
    if (this.evalCache?.doc === doc) return this.evalCache.out;
    const out = allocRange(doc.base.frameCount);
    if (doc.base.frameCount > 0) evaluateRange(doc, 0, doc.base.frameCount, out);
    this.evalCache = { doc, out };
    return out;
  }

  /** Auto value range: base and result of the shown channels over the clip, plus keys. */
  private autoValues(doc: TimelineDoc, chans: readonly ChannelId[]): ValueView {
    let lo = Infinity;
    let hi = -Infinity;
    const ev = this.evaluated(doc);
    let minSpan = 0.1;
    for (const ch of chans) {
      const d = channelDecl(ch);
      minSpan = Math.max(minSpan, d.unit === 'deg' ? 4 : d.unit === 'mm' ? 10 : 0.1);
      for (const arr of [doc.base.channels[ch], ev[channelIndex(ch)]!]) {
        for (let i = 0; i < arr.length; i++) {
          const v = arr[i]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    if (lo === Infinity) return { min: -1, max: 1 };
    return fitValues(lo, hi, minSpan);
  }

  private makePlot(doc: TimelineDoc): Plot {
    const chans = this.editor.selection.get().channels;
    return {
      time: this.editor.view.get(),
      value: this.editor.valueView.get() ?? this.autoValues(doc, chans),
      top: PAD_TOP,
      height: Math.max(1, this.height - PAD_TOP - PAD_BOTTOM),
    };
  }

  /** The document to draw: the committed one, or a drag preview on top of it. */
  private previewDoc(plot: Plot): TimelineDoc {
    const doc = this.editor.doc.get();
    const d = this.drag;
    try {
      if (d?.kind === 'keys' && d.moved) {
        const { dFrame, dValue } = dragDelta(plot, d.x - d.x0, d.y - d.y0);
        let out = doc;
        for (const [channel, frames] of this.selectedByChannel()) out = applyCommand(out, { type: 'moveKeys', channel, frames, dFrame, dValue });
        return out;
      }
      if (d?.kind === 'handle') {
        const cmd: Command = {
          type: 'setInterpolation',
          channel: d.key.channel,
          frames: [d.key.frame],
          interp: 'bezier',
          ...(d.side === 'in' ? { inSlope: d.slope } : { outSlope: d.slope }),
        };
        return applyCommand(doc, cmd);
      }
    } catch {
      /* a locked channel: no preview, the commit reports it */
    }
    return doc;
  }

  private selectedByChannel(): Map<ChannelId, number[]> {
    const m = new Map<ChannelId, number[]>();
    for (const r of this.editor.selectedKeyRefs()) m.set(r.channel, [...(m.get(r.channel) ?? []), r.frame]);
    return m;
  }

  // ---- drawing ---------------------------------------------------------------------

  private drawNow(): void {
    const ctx = this.ctx;
    const W = this.width;
    const H = this.height;
    const ed = this.editor;
    const committed = ed.doc.get();
    const n = committed.base.frameCount;
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = '#1a1a1a';
    ctx.fillRect(0, 0, W, H);
    const plot = this.makePlot(committed);
    this.plot = plot;
    const doc = this.previewDoc(plot);
    const tv = plot.time;
    const chans = ed.selection.get().channels;
    // The mapping, for tests and tools that need to point at a frame.
    this.canvas.dataset['viewStart'] = String(tv.start);
    this.canvas.dataset['pxPerFrame'] = String(tv.pxPerFrame);

    // Outside the clip and outside in/out: darker.
    const { in: rin, out: rout } = ed.range.get();
    ctx.fillStyle = 'rgba(0,0,0,0.35)';
    const xIn = frameToX(tv, rin - 0.5);
    const xOut = frameToX(tv, rout + 0.5);
    if (xIn > 0) ctx.fillRect(0, 0, xIn, H);
    if (xOut < W) ctx.fillRect(xOut, 0, W - xOut, H);

    // Holds of the shown channels: shaded spans in the channel's colour, labelled at the top.
    const shown = ed.selection.get().channels;
    for (const h of committed.edits.holds) {
      const ci = shown.indexOf(h.channel);
      if (ci < 0) continue;
      const x0 = frameToX(tv, h.start - 0.5);
      const x1 = frameToX(tv, h.end + 0.5);
      if (x1 < 0 || x0 > W) continue;
      const color = CURVE_COLORS[ci % CURVE_COLORS.length]!;
      ctx.save();
      ctx.globalAlpha = 0.14;
      ctx.fillStyle = color;
      ctx.fillRect(x0, 0, x1 - x0, H);
      ctx.globalAlpha = 0.8;
      ctx.fillRect(x0, 0, x1 - x0, 3);
      ctx.font = '10px system-ui, sans-serif';
      ctx.fillText('hold', x0 + 3, 14 + 11 * ci);
      ctx.restore();
    }
    this.canvas.dataset['holds'] = String(committed.edits.holds.filter((h) => shown.includes(h.channel)).length);

    // Where an offset holds beyond the first/last key (one key shifts the whole clip): hatched
    // in the channel's colour, so it is visible before it surprises anyone (issue 16 item 4).
    let held = 0;
    for (let ci = 0; ci < shown.length; ci++) {
      const ch = shown[ci]!;
      const spans = heldEnds(channelEdit(committed.edits, ch).keys, n);
      held += spans.length;
      const color = CURVE_COLORS[ci % CURVE_COLORS.length]!;
      for (const h of spans) {
        const x0 = Math.max(0, frameToX(tv, h.start - 0.5));
        const x1 = Math.min(W, frameToX(tv, h.end + 0.5));
        if (x1 <= x0) continue;
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, H - 10, x1 - x0, 10);
        ctx.clip();
        ctx.strokeStyle = color;
        ctx.globalAlpha = 0.55;
        ctx.lineWidth = 1;
        for (let x = x0 - 10; x < x1; x += 6) {
          ctx.beginPath();
          ctx.moveTo(x, H);
          ctx.lineTo(x + 10, H - 10);
          ctx.stroke();
        }
        ctx.restore();
      }
    }
    this.canvas.dataset['heldEnds'] = String(held);

    // Grid.
    ctx.font = '10px system-ui, sans-serif';
    ctx.strokeStyle = '#2c2c2c';
    ctx.fillStyle = '#888';
    ctx.lineWidth = 1;
    const step = tickStep(tv.pxPerFrame, ed.fps);
    for (const f of ticks(tv, W, step)) {
      const x = Math.round(frameToX(tv, f)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.lineTo(x, H);
      ctx.stroke();
    }
    const vv = plot.value;
    const vStep = niceStep((vv.max - vv.min) / 5);
    for (let v = Math.ceil(vv.min / vStep) * vStep; v <= vv.max; v += vStep) {
      const y = Math.round(valueToY(vv, v, plot.top, plot.height)) + 0.5;
      ctx.strokeStyle = Math.abs(v) < vStep / 1e3 ? '#444' : '#2c2c2c';
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(W, y);
      ctx.stroke();
      ctx.fillText(fmt(v), 4, y - 2);
    }

    if (n === 0) return this.message('No frames: import and track a target video.');
    if (chans.length === 0) return this.message('Select one or more channels on the left to edit their curves.');

    const ev = doc === committed ? this.evaluated(committed) : (() => {
      const o = allocRange(n);
      evaluateRange(doc, 0, n, o);
      return o;
    })();
    const f0 = Math.max(0, Math.floor(xToFrame(tv, 0)) - 1);
    const f1 = Math.min(n - 1, Math.ceil(xToFrame(tv, W)) + 1);
    chans.forEach((ch, ci) => {
      const color = CURVE_COLORS[ci % CURVE_COLORS.length]!;
      // Base: dashed and dim; result (what the render gets): solid.
      this.polyline(doc.base.channels[ch], f0, f1, plot, color, 0.45, [4, 3]);
      this.polyline(ev[channelIndex(ch)]!, f0, f1, plot, color, 1, []);
    });

    // Keys and handles.
    const sel = ed.selection.get().keys;
    this.points = layoutKeys(chans, doc, plot, this.dragSelectionIds(sel));
    for (const p of this.points) {
      for (const h of [p.inHandle, p.outHandle]) {
        if (!h) continue;
        ctx.strokeStyle = '#bbb';
        ctx.beginPath();
        ctx.moveTo(p.x, p.y);
        ctx.lineTo(h.x, h.y);
        ctx.stroke();
        ctx.fillStyle = '#ddd';
        ctx.beginPath();
        ctx.arc(h.x, h.y, 3.5, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    for (const p of this.points) {
      const isSel = this.dragSelectionIds(sel).has(keyId(p));
      const ci = chans.indexOf(p.channel);
      ctx.fillStyle = isSel ? '#ffffff' : CURVE_COLORS[ci % CURVE_COLORS.length]!;
      ctx.strokeStyle = '#000';
      ctx.beginPath();
      ctx.moveTo(p.x, p.y - 5);
      ctx.lineTo(p.x + 5, p.y);
      ctx.lineTo(p.x, p.y + 5);
      ctx.lineTo(p.x - 5, p.y);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    }

    // Playhead.
    const px = Math.round(frameToX(tv, ed.frame.get())) + 0.5;
    ctx.strokeStyle = '#ff5252';
    ctx.beginPath();
    ctx.moveTo(px, 0);
    ctx.lineTo(px, H);
    ctx.stroke();

    // Rubber band.
    const d = this.drag;
    if (d?.kind === 'box') {
      ctx.strokeStyle = '#9cf';
      ctx.fillStyle = 'rgba(120,180,255,0.12)';
      const x = Math.min(d.x0, d.x1);
      const y = Math.min(d.y0, d.y1);
      ctx.fillRect(x, y, Math.abs(d.x1 - d.x0), Math.abs(d.y1 - d.y0));
      ctx.strokeRect(x + 0.5, y + 0.5, Math.abs(d.x1 - d.x0), Math.abs(d.y1 - d.y0));
    }
  }

  /** While dragging keys, selection ids follow the preview's shifted frames. */
  private dragSelectionIds(sel: ReadonlySet<string>): ReadonlySet<string> {
    const d = this.drag;
    if (!(d?.kind === 'keys' && d.moved) || !this.plot) return sel;
    const { dFrame } = dragDelta(this.plot, d.x - d.x0, d.y - d.y0);
    if (dFrame === 0) return sel;
    return new Set(this.editor.selectedKeyRefs().map((r) => keyId({ channel: r.channel, frame: r.frame + dFrame })));
  }

  private polyline(a: Float32Array, f0: number, f1: number, plot: Plot, color: string, alpha: number, dash: number[]): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dash);
    ctx.beginPath();
    for (let f = f0; f <= f1; f++) {
      const x = frameToX(plot.time, f);
      const y = valueToY(plot.value, a[f] ?? 0, plot.top, plot.height);
      if (f === f0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
    ctx.restore();
  }

  private message(text: string): void {
    this.ctx.fillStyle = '#aaa';
    this.ctx.font = '13px system-ui, sans-serif';
    this.ctx.fillText(text, 16, this.height / 2);
  }

  // ---- interaction -----------------------------------------------------------------

  private local(e: PointerEvent | MouseEvent | WheelEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private readonly onDown = (e: PointerEvent) => {
    this.canvas.focus();
    const { x, y } = this.local(e);
    this.canvas.setPointerCapture(e.pointerId);
    if (e.button === 1 || (e.button === 0 && e.altKey)) {
      this.drag = { kind: 'pan', lastX: x };
      return;
    }
    if (e.button !== 0) return;
    const hit: Hit | null = hitTest(this.points, x, y, 7);
    const ed = this.editor;
    if (hit && hit.kind !== 'key') {
      const key = this.points.find((p) => p.channel === hit.channel && p.frame === hit.frame)!;
      const side = hit.kind === 'inHandle' ? 'in' : 'out';
      const k = ed.doc.get().edits.channels[hit.channel]?.keys.find((q) => q.frame === hit.frame);
      this.drag = { kind: 'handle', key, side, slope: side === 'in' ? (k?.inSlope ?? 0) : (k?.outSlope ?? 0) };
      return;
    }
    if (hit) {
      const id = keyId(hit);
      const selected = ed.selection.get().keys.has(id);
      if (e.shiftKey || e.ctrlKey || e.metaKey) ed.selectKeys([hit], 'toggle');
      else if (!selected) ed.selectKeys([hit]);
      this.drag = { kind: 'keys', x0: x, y0: y, x, y, moved: false };
      return;
    }
    this.drag = { kind: 'click', x0: x, y0: y, shift: e.shiftKey };
  };

  private readonly onMove = (e: PointerEvent) => {
    const d = this.drag;
    if (!d) {
      const { x, y } = this.local(e);
      const hit = hitTest(this.points, x, y, 7);
      this.canvas.style.cursor = hit ? (hit.kind === 'key' ? 'move' : 'crosshair') : 'default';
      return;
    }
    const { x, y } = this.local(e);
    switch (d.kind) {
      case 'pan':
        this.editor.view.set(panBy(this.editor.view.get(), x - d.lastX));
        d.lastX = x;
        return;
      case 'keys':
        d.x = x;
        d.y = y;
        if (Math.abs(x - d.x0) + Math.abs(y - d.y0) > 3) d.moved = true;
        this.schedule();
        return;
      case 'handle':
        if (this.plot) d.slope = slopeFromHandle(this.plot, d.key, { x, y }, d.side);
        this.schedule();
        return;
      case 'click':
        if (Math.abs(x - d.x0) + Math.abs(y - d.y0) > 4) this.drag = { kind: 'box', x0: d.x0, y0: d.y0, x1: x, y1: y, mode: d.shift ? 'add' : 'replace' };
        this.schedule();
        return;
      case 'box':
        d.x1 = x;
        d.y1 = y;
        this.schedule();
        return;
    }
  };

  private readonly onUp = (e: PointerEvent) => {
    const d = this.drag;
    this.drag = null;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    if (!d) return;
    const ed = this.editor;
    switch (d.kind) {
      case 'keys':
        if (d.moved && this.plot) {
          const { dFrame, dValue } = dragDelta(this.plot, d.x - d.x0, d.y - d.y0);
          ed.moveSelectedKeys(dFrame, dValue);
        }
        break;
      case 'handle':
        ed.setSlopes(d.key, d.side === 'in' ? { inSlope: d.slope } : { outSlope: d.slope });
        break;
      case 'box':
        ed.selectKeys(boxSelect(this.points, { x0: d.x0, y0: d.y0, x1: d.x1, y1: d.y1 }), d.mode);
        break;
      case 'click':
        if (!d.shift) ed.selectKeys([]);
        ed.pause();
        ed.setFrame(xToFrameSnapped(ed.view.get(), d.x0, ed.frameCount));
        break;
      case 'pan':
        break;
    }
    this.schedule();
  };

  private readonly onCancel = () => {
    this.drag = null;
    this.schedule();
  };

  private readonly onDbl = (e: MouseEvent) => {
    const ed = this.editor;
    const chans = ed.selection.get().channels;
    if (!this.plot || chans.length === 0) return;
    const { x, y } = this.local(e);
    if (hitTest(this.points, x, y, 7)) return;
    const frame = xToFrameSnapped(ed.view.get(), x, ed.frameCount);
    const value = yToValue(this.plot.value, y, this.plot.top, this.plot.height);
    // The channel whose curve passes nearest the click gets the key.
    const ev = this.evaluated(ed.doc.get());
    let best = chans[0]!;
    let bd = Infinity;
    for (const ch of chans) {
      const v = ev[channelIndex(ch)]![frame] ?? 0;
      const dist = Math.abs(valueToY(this.plot.value, v, this.plot.top, this.plot.height) - y);
      if (dist < bd) {
        bd = dist;
        best = ch;
      }
    }
    ed.addKeyAt(best, frame, value);
  };

  private readonly onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const { x, y } = this.local(e);
    const ed = this.editor;
    if (e.shiftKey) {
      ed.view.set(panBy(ed.view.get(), -(e.deltaY || e.deltaX)));
      return;
    }
    const factor = Math.exp(-e.deltaY * 0.0015);
    if ((e.ctrlKey || e.metaKey) && this.plot) {
      // Value zoom about the cursor.
      const vv = this.plot.value;
      const at = yToValue(vv, y, this.plot.top, this.plot.height);
      ed.valueView.set({ min: at - (at - vv.min) / factor, max: at + (vv.max - at) / factor });
      return;
    }
    ed.view.set(zoomAt(ed.view.get(), x, factor));
  };
}

export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(2);
}
