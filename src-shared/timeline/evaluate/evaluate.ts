import { neutralParams, type FaceParams } from '../../face/params.js';
import { CHANNELS, CHANNEL_COUNT, CHANNEL_IDS, type ChannelId } from '../channels/declarations.js';
import { channelsToParams, writeSh } from '../channels/face-params.js';
import { addCurveRange, curveValue } from '../curves/interpolate.js';
import { anySolo, channelEdit, editActive } from '../edits/access.js';
import type { TimelineEdits } from '../edits/schema.js';
import type { BaseTracks } from '../tracks/base-tracks.js';

/** What the timeline evaluates: base motion plus the user's edit layer. */
export interface TimelineDoc {
  base: BaseTracks;
  edits: TimelineEdits;
}

function clampFrame(base: BaseTracks, frame: number): number {
  const f = Math.round(frame);
  return f < 0 ? 0 : f >= base.frameCount ? base.frameCount - 1 : f;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** base + edit curve at one frame, ignoring holds and clamping (holds sample this). */
function rawValue(doc: TimelineDoc, id: ChannelId, f: number, active: boolean): number {
  const b = doc.base.channels[id][f] ?? 0;
  return active ? b + curveValue(channelEdit(doc.edits, id).keys, f) : b;
}

/**
 * Final value of one channel at an integer frame: base + edit offset, frozen inside holds,
 * clamped to the channel's range. The first hold that covers the frame wins.
 */
export function channelValue(doc: TimelineDoc, id: ChannelId, frame: number, soloing = anySolo(doc.edits)): number {
  if (doc.base.frameCount === 0) return channelDeclOf(id).default;
  const f = clampFrame(doc.base, frame);
  const active = editActive(doc.edits, id, soloing);
  let at = f;
  if (active) {
    for (const h of doc.edits.holds) {
      if (h.channel === id && f >= h.start && f <= h.end) {
        at = Math.min(h.start, doc.base.frameCount - 1);
        break;
      }
    }
  }
  const d = channelDeclOf(id);
  return clamp(rawValue(doc, id, at, active), d.min, d.max);
}

const declIndex = new Map(CHANNELS.map((d) => [d.id, d]));
function channelDeclOf(id: ChannelId) {
  return declIndex.get(id)!;
}

const scratch = new Float32Array(CHANNEL_COUNT);

/** The face parameters at one frame (clamped into the timeline); SH from the base track or neutral. */
export function evaluate(doc: TimelineDoc, frame: number, out: FaceParams = neutralParams()): FaceParams {
  const soloing = anySolo(doc.edits);
  for (let c = 0; c < CHANNEL_COUNT; c++) scratch[c] = channelValue(doc, CHANNEL_IDS[c]!, frame, soloing);
  channelsToParams(scratch, out);
  writeSh(out.sh, doc.base.sh, doc.base.frameCount ? clampFrame(doc.base, frame) : 0);
  return out;
}

/** One Float32Array per channel, in CHANNELS order, each `count` long. */
export function allocRange(count: number): Float32Array[] {
  return CHANNEL_IDS.map(() => new Float32Array(count));
}

/**
 * Evaluates every channel for frames start..start+count-1 into out[channelIndex][i]
 * (channel-major, as curves are drawn). Frames must lie inside the timeline. Costs
 * O(count + keys) per channel and allocates nothing in the per-frame loops.
 */
export function evaluateRange(doc: TimelineDoc, start: number, count: number, out: Float32Array[]): void {
  const { base, edits } = doc;
  if (start < 0 || count < 0 || start + count > base.frameCount) {
    throw new RangeError(`range ${start}+${count} outside timeline of ${base.frameCount} frames`);
  }
  const soloing = anySolo(edits);
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    const d = CHANNELS[c]!;
    const dst = out[c]!;
    dst.set(base.channels[d.id].subarray(start, start + count));
    if (!editActive(edits, d.id, soloing)) {
      clampArray(dst, count, d.min, d.max);
      continue;
    }
    addCurveRange(channelEdit(edits, d.id).keys, start, count, dst);
    // Holds run in reverse so that, where holds overlap, the first listed one wins as in channelValue.
    for (let h = edits.holds.length - 1; h >= 0; h--) {
      const hold = edits.holds[h]!;
      if (hold.channel !== d.id) continue;
      const lo = Math.max(hold.start, start);
      const hi = Math.min(hold.end, start + count - 1);
      if (lo > hi) continue;
      const v = rawValue(doc, d.id, Math.min(hold.start, base.frameCount - 1), true);
      dst.fill(v, lo - start, hi - start + 1);
    }
    clampArray(dst, count, d.min, d.max);
  }
}

function clampArray(a: Float32Array, n: number, lo: number, hi: number): void {
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v < lo) a[i] = lo;
    else if (v > hi) a[i] = hi;
  }
}

/** Frame i of an evaluateRange buffer as FaceParams, with SH from the base track. */
export function rangeFrameToParams(doc: TimelineDoc, out: Float32Array[], start: number, i: number, p: FaceParams): FaceParams {
  for (let c = 0; c < CHANNEL_COUNT; c++) scratch[c] = out[c]![i]!;
  channelsToParams(scratch, p);
  writeSh(p.sh, doc.base.sh, start + i);
  return p;
}
