/**
 * The studio engine: one object that owns the timeline document (through the timeline
 * History), the playhead, playback, the time view, selection and panel state, each in its
 * own Atom. UI components are thin views that subscribe to the atoms they draw and call
 * methods here; no React in this file (tldraw's Editor, in small).
 */
import {
  channelDecl,
  channelEdit,
  confineKeys,
  curveValue,
  History,
  transfer,
  type ChannelId,
  type Command,
  type Hold,
  type HistoryEntry,
  type Interpolation,
  type TimelineDoc,
  type TimelineEdits,
  type TransferSettings,
} from '../../../src-shared/timeline/index.js';
import type { BaseTracks } from '../../../src-shared/timeline/index.js';
import { Atom } from './atom.js';
import { keyId, parseKeyId, type KeyRef } from './curve-geometry.js';
import { copyKeys, pasteCommand, rangeOperation, type KeyClip } from './transfer-ops.js';
import { clampFrame, fitFrames, follow, type TimeView, type ValueView } from './time-map.js';

export const PANEL_IDS = ['video', 'overlay', 'color', 'correspondence', 'gaze', 'synth', 'viewport'] as const;
export type PanelId = (typeof PANEL_IDS)[number];
export const PANEL_LABELS: Record<PanelId, string> = {
  video: 'Video frame',
  overlay: 'Tracking overlay',
  color: 'Color conditioning',
  correspondence: 'Correspondence conditioning',
  gaze: 'Eye gaze conditioning',
  synth: 'Synthesized frame',
  viewport: '3D face',
};

/** Short names for the toolbar's toggles (the full label is their accessible name and tooltip). */
export const PANEL_SHORT_LABELS: Record<PanelId, string> = {
  video: 'Video',
  overlay: 'Overlay',
  color: 'Color',
  correspondence: 'Corresp.',
  gaze: 'Gaze',
  synth: 'Synth',
  viewport: '3D',
};

export interface PanelState {
  visible: Record<PanelId, boolean>;
  enlarged: PanelId | null;
}

export interface Selection {
  channels: readonly ChannelId[];
  keys: ReadonlySet<string>;
}

export interface EditorViewState {
  range: { in: number; out: number };
  frame: number;
  panels: PanelState;
}

export interface Notice {
  text: string;
  severity: 'info' | 'warning' | 'error';
}

const EMPTY_KEYS: ReadonlySet<string> = new Set();
const NUDGE_MERGE_MS = 300;

export class StudioEditor {
  readonly history: History;
  readonly doc: Atom<TimelineDoc>;
  readonly frame = new Atom(0);
  /** Playback speed in multiples of real time; 0 = stopped, negative = reverse. */
  readonly rate = new Atom(0);
  readonly range: Atom<{ in: number; out: number }>;
  readonly view: Atom<TimeView>;
  /** Manual vertical range of the curve editor; null = fit the selected curves. */
  readonly valueView = new Atom<ValueView | null>(null);
  readonly selection = new Atom<Selection>({ channels: ['head.yaw'], keys: EMPTY_KEYS });
  readonly panels = new Atom<PanelState>({
    visible: { video: true, overlay: true, color: true, correspondence: true, gaze: true, synth: true, viewport: true },
    enlarged: null,
  });
  readonly notice = new Atom<Notice | null>(null);
  readonly helpOpen = new Atom(false);
  /** The studio clipboard (copied keys, frames relative to the first copied key). */
  readonly clipboard = new Atom<KeyClip | null>(null);
  /** Width of the timeline lanes in px (set by the timeline as it lays out). */
  laneWidth = 800;

  /** The source actor's tracked curves (transfer input); null without a tracked source. */
  private sourceBase: BaseTracks | null = null;
  private derived: { base: BaseTracks; source: BaseTracks | null; settings: TransferSettings; out: BaseTracks } | null = null;
  private raf = 0;
  private lastTick = 0;
  private playPos = 0;
  private readonly unsub: () => void;

  constructor(
    doc: TimelineDoc,
    private readonly onEditsChanged: (e: TimelineEdits) => void = () => {},
  ) {
    this.history = new History(doc);
    this.doc = new Atom(this.effective(doc));
    const n = doc.base.frameCount;
    this.range = new Atom({ in: 0, out: Math.max(0, n - 1) });
    this.view = new Atom(fitFrames(0, Math.max(1, n - 1), this.laneWidth));
    let lastEdits = doc.edits;
    this.unsub = this.history.subscribe((d) => {
      this.doc.set(this.effective(d));
      if (d.edits !== lastEdits) {
        lastEdits = d.edits;
        this.onEditsChanged(d.edits);
      }
    });
    // The selection a step ends with is the one its caller sets in the same task (a move
    // selects the moved keys): that is what redo brings back.
    this.unsubSelection = this.selection.subscribe(() => {
      if (this.stepEnding?.meta) this.stepEnding.meta['selectionAfter'] = this.selection.get();
    });
  }

  get frameCount(): number {
    return this.doc.get().base.frameCount;
  }
  get fps(): number {
    return this.doc.get().base.fps;
  }

  private stepEnding: HistoryEntry | null = null;
  private readonly unsubSelection: () => void;

  dispose(): void {
    this.unsubSelection();
    this.stop();
    this.unsub();
  }

  /**
   * What the studio shows and evaluates: the history keeps the target's own tracked base;
   * with transfer on (and a tracked source) the base becomes the source's motion transferred
   * onto the target, exactly as the services build it (src-main performance.ts), so a
   * setTransfer command — and its undo — changes the curves and the conditioning preview.
   */
  private effective(d: TimelineDoc): TimelineDoc {
    const s = d.edits.transfer;
    if (!this.sourceBase || !s.enabled) return d;
    const c = this.derived;
    if (c && c.base === d.base && c.source === this.sourceBase && c.settings === s) return { base: c.out, edits: d.edits };
    const out = transfer(this.sourceBase, d.base, s).tracks;
    this.derived = { base: d.base, source: this.sourceBase, settings: s, out };
    return { base: out, edits: d.edits };
  }

  /** The tracked source actor (or null): the input of transfer. */
  setSource(source: BaseTracks | null): void {
    this.sourceBase = source && source.frameCount > 0 ? source : null;
    this.derived = null;
    this.doc.set(this.effective(this.history.doc));
  }

  get hasSource(): boolean {
    return this.sourceBase !== null;
  }

  /** Transfer settings as one undoable timeline command. */
  setTransfer(settings: TransferSettings, label = 'Transfer settings'): boolean {
    return this.run(label, [{ type: 'setTransfer', settings }]);
  }

  /** New base curves (tracking finished) under the same edits; undo history restarts. */
  setBase(base: BaseTracks): void {
    const d = this.history.doc;
    this.history.reset({ base, edits: d.edits });
    const r = this.range.get();
    const last = Math.max(0, base.frameCount - 1);
    this.range.set({ in: Math.min(r.in, last), out: r.out >= last || r.out === 0 ? last : r.out });
    this.setFrame(this.frame.get());
  }

  // ---- playhead and playback -------------------------------------------------------

  setFrame(f: number): void {
    const c = clampFrame(f, this.frameCount);
    this.frame.set(c);
    this.playPos = c;
    this.view.set(follow(this.view.get(), c, this.laneWidth));
  }

  step(d: number): void {
    this.pause();
    this.setFrame(this.frame.get() + d);
  }

  togglePlay(): void {
    if (this.rate.get() !== 0) this.pause();
    else this.play(1);
  }

  /** J/L shuttle: each press in the same direction doubles the speed (up to 8x). */
  shuttle(dir: 1 | -1): void {
    const r = this.rate.get();
    const next = Math.sign(r) === dir ? Math.max(-8, Math.min(8, r * 2)) : dir;
    this.play(next);
  }

  play(rate: number): void {
    this.rate.set(rate);
    if (this.raf) return;
    this.playPos = this.frame.get();
    this.lastTick = performance.now();
    const tick = (now: number) => {
      const dt = (now - this.lastTick) / 1000;
      this.lastTick = now;
      const { in: a, out: b } = this.range.get();
      const len = Math.max(1, b - a + 1);
      let p = this.playPos + dt * this.fps * this.rate.get();
      if (p > b + 0.999) p = a + ((p - a) % len);
      if (p < a) p = b - ((a - p) % len);
      this.playPos = p;
      const f = clampFrame(Math.floor(p), this.frameCount);
      this.frame.set(f);
      this.view.set(follow(this.view.get(), f, this.laneWidth));
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause(): void {
    this.rate.set(0);
    this.stop();
  }

  private stop(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  setIn(f = this.frame.get()): void {
    const r = this.range.get();
    this.range.set({ in: Math.min(f, r.out), out: r.out });
  }

  setOut(f = this.frame.get()): void {
    const r = this.range.get();
    this.range.set({ in: r.in, out: Math.max(f, r.in) });
  }

  /** What the studio keeps when it reopens on a replaced video: in/out, playhead and panels. */
  viewState(): EditorViewState {
    return { range: this.range.get(), frame: this.frame.get(), panels: this.panels.get() };
  }

  /** Restores a kept view state, clamped to this clip's frames. */
  applyViewState(v: EditorViewState): void {
    const last = Math.max(0, this.frameCount - 1);
    const inF = Math.min(Math.max(0, v.range.in), last);
    this.range.set({ in: inF, out: Math.max(inF, Math.min(v.range.out, last)) });
    this.setFrame(Math.min(v.frame, last));
    this.panels.set(v.panels);
  }

  clearRange(): void {
    this.range.set({ in: 0, out: Math.max(0, this.frameCount - 1) });
  }

  // ---- view ------------------------------------------------------------------------

  setLaneWidth(w: number): void {
    if (w <= 0 || Math.abs(w - this.laneWidth) < 1) return;
    const first = this.laneWidth === 800 && w !== 800;
    this.laneWidth = w;
    if (first) this.frameAll();
  }

  /** F: fit the selected keys (or the whole clip) in time and the curves in value. */
  frameAll(): void {
    const keys = [...this.selection.get().keys].map(parseKeyId);
    const n = this.frameCount;
    if (keys.length >= 2) {
      const fs = keys.map((k) => k.frame);
      this.view.set(fitFrames(Math.min(...fs) - 2, Math.max(...fs) + 2, this.laneWidth, 24));
    } else {
      this.view.set(fitFrames(0, Math.max(1, n - 1), this.laneWidth));
    }
    this.valueView.set(null);
  }

  // ---- selection -------------------------------------------------------------------

  selectChannel(id: ChannelId, additive = false): void {
    const s = this.selection.get();
    let channels: ChannelId[];
    if (additive) channels = s.channels.includes(id) ? s.channels.filter((c) => c !== id) : [...s.channels, id];
    else channels = [id];
    const keep = new Set([...s.keys].filter((k) => channels.includes(parseKeyId(k).channel)));
    this.selection.set({ channels, keys: keep });
    this.valueView.set(null);
  }

  selectKeys(refs: readonly KeyRef[], mode: 'replace' | 'add' | 'toggle' = 'replace'): void {
    const s = this.selection.get();
    const keys = new Set(mode === 'replace' ? [] : s.keys);
    for (const r of refs) {
      const id = keyId(r);
      if (mode === 'toggle' && keys.has(id)) keys.delete(id);
      else keys.add(id);
    }
    this.selection.set({ channels: s.channels, keys });
  }

  selectedKeyRefs(): KeyRef[] {
    return [...this.selection.get().keys].map(parseKeyId);
  }

  // ---- edits -----------------------------------------------------------------------

  /** The clock merges of nudges are timed with (tests replace it). */
  now: () => number = () => performance.now();

  /**
   * Runs commands as one undo step; a refused edit (locked channel…) becomes a notice. The step
   * remembers the selection it started from, so undo brings the selection back with the edit.
   * `mergeKey`: steps with the same key within 300 ms are one undo step (a burst of nudges).
   */
  run(label: string, commands: Command[], mergeKey?: string): boolean {
    if (commands.length === 0) return false;
    const selectionBefore = this.selection.get();
    const previous = this.history.undoEntry;
    try {
      this.history.transact(
        label,
        () => {
          for (const c of commands) this.history.execute(c);
        },
        mergeKey ? { key: mergeKey, at: this.now(), windowMs: NUDGE_MERGE_MS } : undefined,
      );
      const entry = this.history.undoEntry;
      if (entry) {
        // A merged step keeps the selection its burst started from.
        if (entry !== previous || !entry.meta) entry.meta = { ...entry.meta, selectionBefore };
        entry.meta = { ...entry.meta, selectionAfter: this.selection.get() };
        this.stepEnding = entry;
        queueMicrotask(() => {
          if (this.stepEnding === entry) this.stepEnding = null;
        });
      }
      this.notice.set(null);
      return true;
    } catch (e) {
      this.notice.set({ text: `${label}: ${e instanceof Error ? e.message : String(e)}`, severity: 'warning' });
      return false;
    }
  }

  private isLocked(ch: ChannelId): boolean {
    return channelEdit(this.doc.get().edits, ch).lock;
  }

  /** K: a key on every selected channel at the playhead, keeping the curve where it is. */
  keySelectedAtPlayhead(): void {
    const f = this.frame.get();
    const chans = this.selection.get().channels.filter((c) => !this.isLocked(c));
    if (chans.length === 0) {
      this.notice.set({ text: 'Select an unlocked channel to key it.', severity: 'info' });
      return;
    }
    const doc = this.doc.get();
    const cmds: Command[] = chans.map((channel) => ({
      type: 'addKeys',
      channel,
      keys: [{ frame: f, value: curveValue(channelEdit(doc.edits, channel).keys, f), interp: 'bezier', inSlope: 0, outSlope: 0 }],
    }));
    if (this.run('Add key', cmds)) this.selectKeys(chans.map((channel) => ({ channel, frame: f })));
  }

  /** A key at (frame, shown value) on one channel: the offset that puts the curve there. */
  addKeyAt(channel: ChannelId, frame: number, shownValue: number): void {
    const f = clampFrame(frame, this.frameCount);
    const base = this.doc.get().base.channels[channel][f] ?? 0;
    const d = channelDecl(channel);
    const shown = Math.min(d.max, Math.max(d.min, shownValue));
    const ok = this.run('Add key', [{ type: 'addKeys', channel, keys: [{ frame: f, value: shown - base, interp: 'bezier', inSlope: 0, outSlope: 0 }] }]);
    if (ok) this.selectKeys([{ channel, frame: f }]);
  }

  /**
   * Offsets hold beyond a channel's first and last keys, so one key shifts the whole clip. This
   * adds 0 keys `margin` frames before the first and after the last key of each shown channel
   * whose offset holds, so the edit stays local; one undo step.
   */
  confineShownOffsets(margin = 12): void {
    const doc = this.doc.get();
    const cmds: Command[] = [];
    for (const channel of this.selection.get().channels) {
      const keys = channelEdit(doc.edits, channel).keys;
      if (keys.length === 0 || this.isLocked(channel)) continue;
      const add = confineKeys(keys, keys[0]!.frame - margin, keys[keys.length - 1]!.frame + margin, this.frameCount);
      if (add.length) cmds.push({ type: 'addKeys', channel, keys: add });
    }
    if (cmds.length === 0) {
      this.notice.set({ text: 'No shown, unlocked channel holds an offset beyond its keys.', severity: 'info' });
      return;
    }
    this.run(`Limit offset to ±${margin} frames`, cmds);
  }

  deleteSelectedKeys(): void {
    const by = this.byChannel(this.selectedKeyRefs());
    const cmds: Command[] = [...by].map(([channel, frames]) => ({ type: 'deleteKeys', channel, frames }));
    if (this.run('Delete keys', cmds)) this.selectKeys([]);
  }

  /** `nudge`: a keyboard nudge; nudges of the same keys within 300 ms are one undo step. */
  moveSelectedKeys(dFrame: number, dValue: number, nudge = false): void {
    if (dFrame === 0 && dValue === 0) return;
    const refs = this.selectedKeyRefs();
    const by = this.byChannel(refs);
    const cmds: Command[] = [...by].map(([channel, frames]) => ({ type: 'moveKeys', channel, frames, dFrame, dValue }));
    // The merge key names the keys where they now are, which is where the next nudge finds them.
    const mergeKey = nudge ? `nudge:${refs.map((r) => keyId({ channel: r.channel, frame: r.frame })).sort().join(',')}` : undefined;
    if (this.run(nudge ? 'Nudge keys' : 'Move keys', cmds, mergeKey)) this.selectKeys(refs.map((r) => ({ channel: r.channel, frame: r.frame + dFrame })));
  }

  /** Sets the offset value (and optionally frame) of one key, from the inspector. */
  editKey(ref: KeyRef, patch: { value?: number; frame?: number }): void {
    const k = channelEdit(this.doc.get().edits, ref.channel).keys.find((x) => x.frame === ref.frame);
    if (!k) return;
    const dValue = patch.value !== undefined ? patch.value - k.value : 0;
    const dFrame = patch.frame !== undefined ? clampFrame(patch.frame, this.frameCount) - k.frame : 0;
    if (dValue === 0 && dFrame === 0) return;
    if (this.run('Edit key', [{ type: 'moveKeys', channel: ref.channel, frames: [ref.frame], dFrame, dValue }])) {
      this.selectKeys([{ channel: ref.channel, frame: ref.frame + dFrame }]);
    }
  }

  setInterpolation(interp: Interpolation): void {
    const by = this.byChannel(this.selectedKeyRefs());
    const cmds: Command[] = [...by].map(([channel, frames]) => ({ type: 'setInterpolation', channel, frames, interp }));
    if (cmds.length === 0) this.notice.set({ text: 'Select keys to change their interpolation.', severity: 'info' });
    else this.run(`Interpolation: ${interp}`, cmds);
  }

  /** Sets a bezier key's tangent(s); the segment(s) it touches become bezier. */
  setSlopes(ref: KeyRef, slopes: { inSlope?: number; outSlope?: number }): void {
    const k = channelEdit(this.doc.get().edits, ref.channel).keys.find((x) => x.frame === ref.frame);
    if (!k) return;
    this.run('Edit tangent', [
      {
        type: 'setInterpolation',
        channel: ref.channel,
        frames: [ref.frame],
        interp: k.interp === 'bezier' || slopes.outSlope !== undefined ? 'bezier' : k.interp,
        inSlope: slopes.inSlope ?? k.inSlope,
        outSlope: slopes.outSlope ?? k.outSlope,
      },
    ]);
  }

  setFlag(channel: ChannelId, flag: 'mute' | 'solo' | 'lock', value: boolean): void {
    const verb = value ? flag[0]!.toUpperCase() + flag.slice(1) : `Un${flag}`;
    this.run(`${verb} ${channelDecl(channel).label}`, [{ type: 'setFlags', channel, [flag]: value }]);
  }

  resetChannels(): void {
    const cmds: Command[] = this.selection.get().channels.map((channel) => ({ type: 'resetChannel', channel }));
    if (this.run('Reset channel', cmds)) this.selectKeys([]);
  }

  // ---- clipboard, hold, bake -------------------------------------------------------

  /** Ctrl/Cmd+C: the selected keys into the studio clipboard. */
  copySelectedKeys(): void {
    const clip = copyKeys(this.doc.get().edits, this.selectedKeyRefs());
    if (!clip) {
      this.notice.set({ text: 'Select keys to copy them.', severity: 'info' });
      return;
    }
    this.clipboard.set(clip);
    this.notice.set({ text: `Copied ${clip.count} key${clip.count === 1 ? '' : 's'}.`, severity: 'info' });
  }

  /** Ctrl/Cmd+V: the clipboard at the playhead, one undo step; the pasted keys become the selection. */
  pasteAtPlayhead(): void {
    const at = this.frame.get();
    const r = pasteCommand(this.clipboard.get(), at, this.frameCount, (c) => this.isLocked(c));
    if (!r.ok) {
      this.notice.set({ text: r.reason, severity: 'info' });
      return;
    }
    const { command, dropped } = r.value;
    if (!this.run('Paste keys', [command])) return;
    if (command.type === 'pasteKeys') this.selectKeys(command.clip.flatMap((c) => c.keys.map((k) => ({ channel: c.channel, frame: k.frame + at }))));
    if (dropped > 0) this.notice.set({ text: `${dropped} copied key${dropped === 1 ? '' : 's'} fell outside the clip and were not pasted.`, severity: 'warning' });
  }

  /** H: freezes the selected channels over [in, out] (one undo step). */
  holdSelectedOverRange(): void {
    const r = rangeOperation('hold', this.range.get(), this.frameCount, this.selection.get().channels, (c) => this.isLocked(c));
    if (!r.ok) {
      this.notice.set({ text: r.reason, severity: 'info' });
      return;
    }
    const { start, end, channels } = r.value;
    this.run('Hold over range', channels.map((channel) => ({ type: 'hold', channel, start, end })));
  }

  removeHold(h: Hold): void {
    this.run('Remove hold', [{ type: 'removeHold', channel: h.channel, start: h.start, end: h.end }]);
  }

  /** Removes the holds of the selected channels under the playhead. */
  removeHoldsAtPlayhead(): void {
    const f = this.frame.get();
    const chans = this.selection.get().channels;
    const hs = this.doc.get().edits.holds.filter((h) => chans.includes(h.channel) && h.start <= f && f <= h.end);
    if (hs.length === 0) {
      this.notice.set({ text: 'No hold of the selected channels at the playhead.', severity: 'info' });
      return;
    }
    this.run('Remove hold', hs.map((h) => ({ type: 'removeHold', channel: h.channel, start: h.start, end: h.end })));
  }

  /** Bakes what the selected channels show over [in, out] into per-frame keys (one undo step). */
  bakeSelectedRange(): void {
    const r = rangeOperation('bake', this.range.get(), this.frameCount, this.selection.get().channels, (c) => this.isLocked(c));
    if (!r.ok) {
      this.notice.set({ text: r.reason, severity: 'info' });
      return;
    }
    const { start, end, channels } = r.value;
    if (this.run('Bake range to keys', channels.map((channel) => ({ type: 'bake', channel, start, end, into: 'keys' })))) this.pruneSelection();
  }

  /** Undo also brings back the selection the step started from; redo, the one it ended with. */
  undo(): void {
    const entry = this.history.undoEntry;
    this.stepEnding = null;
    if (!this.history.undo()) {
      this.notice.set({ text: 'Nothing to undo.', severity: 'info' });
      return;
    }
    this.restoreSelection(entry?.meta?.['selectionBefore']);
  }

  redo(): void {
    const entry = this.history.redoEntry;
    this.stepEnding = null;
    if (!this.history.redo()) {
      this.notice.set({ text: 'Nothing to redo.', severity: 'info' });
      return;
    }
    this.restoreSelection(entry?.meta?.['selectionAfter']);
  }

  private restoreSelection(saved: unknown): void {
    if (saved && typeof saved === 'object' && 'keys' in saved && 'channels' in saved) this.selection.set(saved as Selection);
    this.pruneSelection();
  }

  /** Drops selected keys that no longer exist (after undo/redo). */
  private pruneSelection(): void {
    const edits = this.doc.get().edits;
    const s = this.selection.get();
    const keys = new Set([...s.keys].filter((id) => {
      const r = parseKeyId(id);
      return channelEdit(edits, r.channel).keys.some((k) => k.frame === r.frame);
    }));
    if (keys.size !== s.keys.size) this.selection.set({ channels: s.channels, keys });
  }

  private byChannel(refs: readonly KeyRef[]): Map<ChannelId, number[]> {
    const m = new Map<ChannelId, number[]>();
    for (const r of refs) m.set(r.channel, [...(m.get(r.channel) ?? []), r.frame]);
    return m;
  }

  // ---- panels ----------------------------------------------------------------------

  togglePanel(id: PanelId): void {
    const p = this.panels.get();
    const visible = { ...p.visible, [id]: !p.visible[id] };
    this.panels.set({ visible, enlarged: p.enlarged === id && !visible[id] ? null : p.enlarged });
  }

  toggleEnlarge(id: PanelId): void {
    const p = this.panels.get();
    this.panels.set({ visible: { ...p.visible, [id]: true }, enlarged: p.enlarged === id ? null : id });
  }
}
