/**
 * tracking.data on the wire: per-frame arrays as base64 of little-endian typed arrays, not JSON
 * arrays of numbers. A 20-minute video's curves are ~2.5 million numbers: as JSON they cost the
 * host seconds to validate and serialise and ~10x their size in memory; as a few strings they
 * are a copy. The studio decodes them once into the TrackingData it has always used.
 */
import { z } from 'zod';
import { VideoRole } from '../project/schema.js';

export const TRACKING_WIRE_ENCODING = 'le-base64-v1';
export const SH_PER_FRAME = 27;

export const TrackingDataWire = z.object({
  role: VideoRole,
  fps: z.number().positive(),
  frameCount: z.number().int().nonnegative(),
  encoding: z.literal(TRACKING_WIRE_ENCODING),
  /** Uint8 per frame: 0 not tracked yet, 1 face fitted, 2 no usable face. */
  status: z.string(),
  /** Float32 per frame. */
  confidence: z.string(),
  /** Timeline channel ids, in the order of `channels`. */
  channelIds: z.array(z.string()),
  /** Float32, channel-major: channelIds.length x frameCount, gaps filled. */
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

export function encodeTrackingData(d: TrackingArrays): TrackingDataWire {
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

export function decodeTrackingData(w: TrackingDataWire): TrackingData {
  const n = w.frameCount;
  const status = fromBase64(w.status);
  const confidence = new Float32Array(fromBase64(w.confidence).buffer);
  const all = new Float32Array(fromBase64(w.channels).buffer);
  if (status.length !== n || confidence.length !== n || all.length !== w.channelIds.length * n) {
    throw new Error(`tracking.data of the ${w.role} video is inconsistent (${n} frames, ${status.length} statuses, ${all.length} curve values for ${w.channelIds.length} channels)`);
  }
  const channels: Record<string, number[]> = {};
  w.channelIds.forEach((id, c) => (channels[id] = Array.from(all.subarray(c * n, (c + 1) * n))));
  let crops: TrackingData['crops'] = null;
  if (w.crops !== null) {
    const c = new Float64Array(fromBase64(w.crops).buffer);
    crops = Array.from({ length: c.length / 3 }, (_, i) => ({ x: c[i * 3]!, y: c[i * 3 + 1]!, size: c[i * 3 + 2]! }));
  }
  return {
    role: w.role,
    fps: w.fps,
    frameCount: n,
    status: Array.from(status),
    confidence: Array.from(confidence),
    channels,
    sh: Array.from(new Float32Array(fromBase64(w.sh).buffer)),
    crops,
    actor: w.actor,
  };
}
