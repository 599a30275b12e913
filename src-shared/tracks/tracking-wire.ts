/**
 * tracking.data on the wire: per-frame arrays as base64 of little-endian typed arrays, not JSON
 * arrays of numbers. A 20-minute video's curves are ~2.5 million numbers: as JSON they cost the
 * host seconds to validate and serialise and ~10x their size in memory; as a few strings they
 * are a copy. A reply holds one range of frames (at most TRACKING_DATA_MAX_FRAMES), so neither
 * side ever holds a long clip's curves as strings at once: the studio asks by chunks
 * (fetch-tracking.ts) and a TrackingDataAssembler decodes them into the TrackingData it has
 * always used.
 */
import { z } from 'zod';
import { VideoRole } from '../project/schema.js';

export const TRACKING_WIRE_ENCODING = 'le-base64-v1';
export const SH_PER_FRAME = 27;
/** The most frames one tracking.data reply holds (the host refuses more). */
export const TRACKING_DATA_MAX_FRAMES = 8192;

/** tracking.data's request beyond dir and role: which frames, of which derivation. */
export const TrackingDataRange = z.object({
  /** First frame (default 0). */
  from: z.number().int().nonnegative().optional(),
  /** Frames from `from` (default: the rest of the clip, which must then be at most TRACKING_DATA_MAX_FRAMES). */
  count: z.number().int().nonnegative().max(TRACKING_DATA_MAX_FRAMES).optional(),
  /**
   * The `revision` of an earlier reply: the range is read from that same derivation while the
   * host still has it (a running tracking changes the curves every chunk), else from the current
   * one (the reply's revision then differs, and the caller starts over).
   */
  revision: z.string().max(64).optional(),
});
export type TrackingDataRange = z.infer<typeof TrackingDataRange>;

export const TrackingDataWire = z.object({
  role: VideoRole,
  fps: z.number().positive(),
  /** Frames of the clip (the reply holds `count` of them, from `from`). */
  frameCount: z.number().int().nonnegative(),
  from: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  /** Names the derivation the arrays come from: replies of one revision fit together. */
  revision: z.string(),
  encoding: z.literal(TRACKING_WIRE_ENCODING),
  /** Uint8 per frame: 0 not tracked yet, 1 face fitted, 2 no usable face. */
  status: z.string(),
  /** Float32 per frame. */
  confidence: z.string(),
  /** Timeline channel ids, in the order of `channels`. */
  channelIds: z.array(z.string()),
  /** Float32, channel-major: channelIds.length x count, gaps filled. */
  channels: z.string(),
  /** Float32, frame-major, 27 SH coefficients per frame. */
  sh: z.string(),
  /** Float64 x, y, size per frame (full-frame pixels, as crops.json holds them); null until tracking finished. */
  crops: z.string().nullable(),
  actor: z
    .object({
      focalPx: z.number().positive(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      neutral: z.array(z.number()),
      albedo: z.array(z.number()),
    })
    .nullable(),
});
export type TrackingDataWire = z.infer<typeof TrackingDataWire>;

/** What the studio works with (arrays per frame, crops as boxes). */
export interface TrackingData {
  role: VideoRole;
  fps: number;
  frameCount: number;
  status: number[];
  confidence: number[];
  channels: Record<string, number[]>;
  sh: number[];
  crops: Array<{ x: number; y: number; size: number }> | null;
  actor: TrackingDataWire['actor'];
}

interface NodeBuffer {
  from(a: ArrayBufferLike, offset: number, length: number): { toString(enc: 'base64'): string };
  from(s: string, enc: 'base64'): Uint8Array;
}
const NodeBuf = (globalThis as { Buffer?: NodeBuffer }).Buffer;
// The browser's (src-shared is compiled without the DOM library).
const web = globalThis as unknown as { btoa(s: string): string; atob(s: string): string };

export function toBase64(a: ArrayBufferView): string {
  if (NodeBuf) return NodeBuf.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  // Chunks: String.fromCharCode takes its bytes as arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return web.btoa(s);
}

/** A fresh, aligned copy (views over Node's pooled buffers may start at any byte). */
export function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  if (NodeBuf) {
    const b = NodeBuf.from(s, 'base64');
    const out = new Uint8Array(b.length);
    out.set(b);
    return out;
  }
  const bin = web.atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** One range of a clip's tracking as typed arrays (what the host reads from its cache). */
export interface TrackingRangeArrays {
  role: VideoRole;
  fps: number;
  frameCount: number;
  from: number;
  count: number;
  revision: string;
  channelIds: readonly string[];
  status: Uint8Array;
  confidence: Float32Array;
  /** Channel-major: channelIds.length x count. */
  channels: Float32Array;
  /** Frame-major: SH_PER_FRAME x count. */
  sh: Float32Array;
  /** x, y, size per frame. */
  crops: Float64Array | null;
  actor: TrackingDataWire['actor'];
}

export function encodeTrackingRange(d: TrackingRangeArrays): TrackingDataWire {
  const c = d.channelIds.length;
  if (d.status.length !== d.count || d.confidence.length !== d.count || d.channels.length !== c * d.count || d.sh.length !== SH_PER_FRAME * d.count || (d.crops && d.crops.length !== 3 * d.count)) {
    throw new Error(`tracking range of the ${d.role} video is inconsistent (${d.count} frames)`);
  }
  return {
    role: d.role,
    fps: d.fps,
    frameCount: d.frameCount,
    from: d.from,
    count: d.count,
    revision: d.revision,
    encoding: TRACKING_WIRE_ENCODING,
    status: toBase64(d.status),
    confidence: toBase64(d.confidence),
    channelIds: [...d.channelIds],
    channels: toBase64(d.channels),
    sh: toBase64(d.sh),
    crops: d.crops ? toBase64(d.crops) : null,
    actor: d.actor,
  };
}

/** A whole clip's tracking as the derivation makes it (one reply of every frame). */
export interface TrackingArrays {
  role: VideoRole;
  fps: number;
  frameCount: number;
  status: ArrayLike<number>;
  confidence: ArrayLike<number>;
  channels: Record<string, Float32Array>;
  sh: Float32Array;
  crops: ReadonlyArray<{ x: number; y: number; size: number }> | null;
  actor: TrackingDataWire['actor'];
}

/** The whole clip in one reply (from 0, every frame). */
export function encodeTrackingData(d: TrackingArrays, revision = 'whole'): TrackingDataWire {
  const n = d.frameCount;
  const channelIds = Object.keys(d.channels);
  const channels = new Float32Array(channelIds.length * n);
  channelIds.forEach((id, c) => channels.set(d.channels[id]!.subarray(0, n), c * n));
  let crops: Float64Array | null = null;
  if (d.crops) {
    crops = new Float64Array(d.crops.length * 3);
    d.crops.forEach((b, i) => crops!.set([b.x, b.y, b.size], i * 3));
  }
  return {
    role: d.role,
    fps: d.fps,
    frameCount: n,
    from: 0,
    count: n,
    revision,
    encoding: TRACKING_WIRE_ENCODING,
    status: toBase64(Uint8Array.from(d.status)),
    confidence: toBase64(Float32Array.from(d.confidence)),
    channelIds,
    channels: toBase64(channels),
    sh: toBase64(d.sh),
    crops: crops ? toBase64(crops) : null,
    actor: d.actor,
  };
}

/**
 * Puts a clip's tracking together from replies of one revision, in any order: each is decoded
 * into whole-clip typed arrays as it comes (the strings can go), then `done` gives TrackingData.
 */
export class TrackingDataAssembler {
  readonly frameCount: number;
  readonly revision: string;
  private readonly status: Uint8Array;
  private readonly confidence: Float32Array;
  private readonly channels: Float32Array;
  private readonly sh: Float32Array;
  private readonly crops: Float64Array | null;
  private readonly channelIds: readonly string[];
  private covered = 0;
  private readonly seen: Uint8Array;

  constructor(private readonly head: TrackingDataWire) {
    const n = head.frameCount;
    this.frameCount = n;
    this.revision = head.revision;
    this.channelIds = head.channelIds;
    this.status = new Uint8Array(n);
    this.confidence = new Float32Array(n);
    this.channels = new Float32Array(head.channelIds.length * n);
    this.sh = new Float32Array(SH_PER_FRAME * n);
    this.crops = head.crops === null ? null : new Float64Array(3 * n);
    this.seen = new Uint8Array(n);
  }

  /** Adds one reply's frames; a reply of another clip, layout or revision is refused. */
  add(w: TrackingDataWire): void {
    const h = this.head;
    const fail = (why: string) => new Error(`tracking.data of the ${h.role} video is inconsistent (${why})`);
    if (w.role !== h.role || w.frameCount !== h.frameCount || w.revision !== h.revision || w.fps !== h.fps) throw fail(`a reply of revision ${w.revision}, ${w.frameCount} frames, among replies of revision ${h.revision}, ${h.frameCount} frames`);
    if (w.channelIds.length !== this.channelIds.length || w.channelIds.some((id, i) => id !== this.channelIds[i])) throw fail('another channel list');
    if ((w.crops === null) !== (this.crops === null)) throw fail('crops in some replies only');
    const { from, count } = w;
    if (from + count > this.frameCount) throw fail(`frames ${from}+${count} past the end (${this.frameCount} frames)`);
    const status = fromBase64(w.status);
    const confidence = new Float32Array(fromBase64(w.confidence).buffer);
    const all = new Float32Array(fromBase64(w.channels).buffer);
    const sh = new Float32Array(fromBase64(w.sh).buffer);
    const crops = w.crops === null ? null : new Float64Array(fromBase64(w.crops).buffer);
    const c = this.channelIds.length;
    if (status.length !== count || confidence.length !== count || all.length !== c * count || sh.length !== SH_PER_FRAME * count || (crops && crops.length !== 3 * count)) {
      throw fail(`${count} frames, ${status.length} statuses, ${all.length} curve values for ${c} channels, ${sh.length} SH values${crops ? `, ${crops.length / 3} crops` : ''}`);
    }
    this.status.set(status, from);
    this.confidence.set(confidence, from);
    const n = this.frameCount;
    for (let k = 0; k < c; k++) this.channels.set(all.subarray(k * count, (k + 1) * count), k * n + from);
    this.sh.set(sh, from * SH_PER_FRAME);
    if (crops) this.crops!.set(crops, from * 3);
    for (let f = from; f < from + count; f++) {
      if (!this.seen[f]) this.covered++;
      this.seen[f] = 1;
    }
  }

  /** Every frame must have come. */
  done(): TrackingData {
    const n = this.frameCount;
    const h = this.head;
    if (this.covered !== n) throw new Error(`tracking.data of the ${h.role} video is incomplete (${this.covered} of ${n} frames)`);
    const channels: Record<string, number[]> = {};
    this.channelIds.forEach((id, k) => (channels[id] = Array.from(this.channels.subarray(k * n, (k + 1) * n))));
    const c = this.crops;
    return {
      role: h.role,
      fps: h.fps,
      frameCount: n,
      status: Array.from(this.status),
      confidence: Array.from(this.confidence),
      channels,
      sh: Array.from(this.sh),
      crops: c ? Array.from({ length: n }, (_, i) => ({ x: c[i * 3]!, y: c[i * 3 + 1]!, size: c[i * 3 + 2]! })) : null,
      actor: h.actor,
    };
  }
}

/** One reply that holds the whole clip (a short clip asked for without a range). */
export function decodeTrackingData(w: TrackingDataWire): TrackingData {
  if (w.from !== 0 || w.count !== w.frameCount) throw new Error(`tracking.data of the ${w.role} video is inconsistent as a whole clip (frames ${w.from}+${w.count} of ${w.frameCount}): assemble its ranges`);
  const a = new TrackingDataAssembler(w);
  a.add(w);
  return a.done();
}
