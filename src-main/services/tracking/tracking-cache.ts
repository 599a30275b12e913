/**
 * The studio's curves derived from a video's track files, kept in `cache/tracking-data-<role>.bin`
 * (deletable) so that tracking.data reads a range of frames without deriving or reading the rest.
 *
 * Format: 'PSTD', u32 length, a JSON header (key, fps, frameCount, chunkFrames, channelIds,
 * hasCrops, actor) padded to 8 bytes, then chunks of `chunkFrames` frames (the last one shorter).
 * A chunk of c frames holds, in order: crops f64 x 3c (when hasCrops), confidence f32 x c,
 * channels f32 x C x c (channel-major, as the wire sends them), SH f32 x 27c (frame-major),
 * status u8 x c, padding to 4, the CRC-32 of those bytes, padding to 8. So a range is one read
 * per chunk it touches, checked, and a file that is cut short (its size is exact) or damaged (a
 * chunk's CRC) is rebuilt, never served.
 *
 * Deriving (buildTrackingCache) streams the records file chunk by chunk: the pose smoothing
 * (PoseSmoother) and the gap filling (GapFiller) are the whole-clip derivation's, fed one frame at
 * a time, so the result is the same bit for bit. It holds per frame only the status (u8),
 * confidence (f32) and crop (3 x f64) of the clip: 29 bytes a frame (the crops file, JSON, is
 * scanned in 64 KB pieces: readCrops).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { VideoRole } from '../../../src-shared/project/schema.js';
import { SH_PER_FRAME, TrackingDataWire, type TrackingRangeArrays } from '../../../src-shared/tracks/tracking-wire.js';
import { CHANNEL_COUNT, CHANNEL_IDS, CHANNELS, GapFiller } from '../../../src-shared/timeline/index.js';
import { channelIndex } from '../../../src-shared/timeline/channels/declarations.js';
import { SH_COEFFS } from '../../../src-shared/face/index.js';
import { PoseSmoother } from '../../../src-shared/face/fit/one-euro.js';
import { RECORD_FLOATS, REC_CONFIDENCE, REC_PARAMS, REC_SH, REC_STATUS, STATUS_FACE } from '../../../src-shared/tracks/record.js';
import { ActorFile, TrackRecordReader, readJson } from './track-files.js';
import { writeAtomicWith } from '../../fs/atomic-write.js';
import { readFully, writeFully } from '../../fs/exact-io.js';

export const CACHE_MAGIC = Buffer.from('PSTD');
const CACHE_FORMAT = 'portrait-tracking-cache';
/** Bumped when the file layout or what is derived into it changes. */
export const CACHE_FORMAT_VERSION = 1;
/** Frames per chunk of the cache file (and per read of the records file while deriving). */
export const CACHE_CHUNK_FRAMES = 4096;

const CacheHeader = z.object({
  format: z.literal(CACHE_FORMAT),
  version: z.literal(CACHE_FORMAT_VERSION),
  /** What the curves were derived from (sourceKey in tracking-service.ts). */
  key: z.string(),
  role: VideoRole,
  fps: z.number().positive(),
  frameCount: z.number().int().nonnegative(),
  chunkFrames: z.number().int().positive(),
  channelIds: z.array(z.string()),
  hasCrops: z.boolean(),
  actor: TrackingDataWire.shape.actor,
});
export type CacheHeader = z.infer<typeof CacheHeader>;

/** A short name for a key, sent to the studio as tracking.data's `revision`. */
export function revisionOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

interface ChunkLayout {
  crops: number;
  confidence: number;
  channels: number;
  sh: number;
  status: number;
  crc: number;
  bytes: number;
}

function chunkLayout(frames: number, channels: number, hasCrops: boolean): ChunkLayout {
  let o = 0;
  const crops = o;
  if (hasCrops) o += frames * 24;
  const confidence = o;
  o += frames * 4;
  const ch = o;
  o += frames * channels * 4;
  const sh = o;
  o += frames * SH_PER_FRAME * 4;
  const status = o;
  o = align(o + frames, 4);
  const crc = o;
  return { crops, confidence, channels: ch, sh, status, crc, bytes: align(o + 4, 8) };
}

function chunkCount(h: Pick<CacheHeader, 'frameCount' | 'chunkFrames'>): number {
  return Math.ceil(h.frameCount / h.chunkFrames);
}

function payloadBytes(h: CacheHeader): number {
  const chunks = chunkCount(h);
  if (chunks === 0) return 0;
  const last = h.frameCount - (chunks - 1) * h.chunkFrames;
  return (chunks - 1) * chunkLayout(h.chunkFrames, h.channelIds.length, h.hasCrops).bytes + chunkLayout(last, h.channelIds.length, h.hasCrops).bytes;
}

function encodeHeader(h: CacheHeader): Buffer {
  let json = Buffer.from(JSON.stringify(h));
  const pad = (8 - ((8 + json.length) % 8)) % 8;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([CACHE_MAGIC, len, json]);
}

/** Why a cache file is not used: it is rebuilt. */
export class CacheUnusable extends Error {}

/** Where the bytes of a cache are: its file, or memory when the file could not be written. */
interface ByteSource {
  size: number;
  read(into: Uint8Array, length: number, position: number): Promise<void>;
  close(): Promise<void>;
}

async function fileSource(path: string): Promise<ByteSource | null> {
  let h: fs.FileHandle;
  try {
    h = await fs.open(path, 'r');
  } catch {
    return null;
  }
  return {
    size: (await h.stat()).size,
    async read(into, length, position) {
      if (!(await readFully(h, into, length, position))) throw new CacheUnusable('the cache file got shorter');
    },
    close: () => h.close(),
  };
}

function memorySource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    async read(into, length, position) {
      if (position + length > buf.length) throw new CacheUnusable('past the end');
      into.set(buf.subarray(position, position + length));
    },
    async close() {},
  };
}

/** An open cache: its header, and ranges of frames read (and checked) from it. */
export class TrackingCache {
  private constructor(
    private readonly src: ByteSource,
    readonly header: CacheHeader,
    private readonly headerBytes: number,
  ) {}

  /** Reads and checks the header and the size; CacheUnusable when the file is not a whole cache. */
  static async open(src: ByteSource): Promise<TrackingCache> {
    try {
      if (src.size < 8) throw new CacheUnusable('too short');
      const head = new Uint8Array(8);
      await src.read(head, 8, 0);
      if (!Buffer.from(head.buffer, 0, 4).equals(CACHE_MAGIC)) throw new CacheUnusable('not a tracking cache');
      const len = Buffer.from(head.buffer).readUInt32LE(4);
      if (8 + len > src.size) throw new CacheUnusable('header cut short');
      const json = new Uint8Array(len);
      await src.read(json, len, 8);
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(json.buffer).toString('utf8'));
      } catch {
        throw new CacheUnusable('damaged header');
      }
      const h = CacheHeader.safeParse(parsed);
      if (!h.success) throw new CacheUnusable('damaged or older header');
      if (src.size !== 8 + len + payloadBytes(h.data)) throw new CacheUnusable(`size ${src.size}, expected ${8 + len + payloadBytes(h.data)}`);
      return new TrackingCache(src, h.data, 8 + len);
    } catch (e) {
      await src.close().catch(() => {});
      if (e instanceof CacheUnusable) throw e;
      throw new CacheUnusable((e as Error).message);
    }
  }

  static async openFile(path: string): Promise<TrackingCache | null> {
    const src = await fileSource(path);
    return src ? TrackingCache.open(src).catch(() => null) : null;
  }

  static openMemory(buf: Buffer): Promise<TrackingCache> {
    return TrackingCache.open(memorySource(buf));
  }

  /**
   * Frames [from, from + count) as typed arrays; CacheUnusable when a chunk fails its check. A
   * range that is one whole chunk (what the studio asks for) comes back as views into the read
   * buffer, valid until the next read or close: the chunk is already laid out as the wire sends it.
   */
  async readRange(from: number, count: number): Promise<Omit<TrackingRangeArrays, 'role' | 'revision' | 'actor' | 'fps' | 'frameCount'>> {
    const h = this.header;
    const n = h.frameCount;
    if (from < 0 || count < 0 || from + count > n) throw new RangeError(`frames ${from}+${count} outside 0..${n}`);
    const C = h.channelIds.length;
    const K = h.chunkFrames;
    const full = chunkLayout(K, C, h.hasCrops);
    if (count > 0 && from % K === 0 && count === Math.min(K, n - from)) {
      const buf = this.buffer(full.bytes);
      const L = await this.readChunk(buf, from / K, count, full.bytes);
      return {
        from,
        count,
        channelIds: h.channelIds,
        status: buf.subarray(L.status, L.status + count),
        confidence: new Float32Array(buf.buffer, buf.byteOffset + L.confidence, count),
        channels: new Float32Array(buf.buffer, buf.byteOffset + L.channels, C * count),
        sh: new Float32Array(buf.buffer, buf.byteOffset + L.sh, SH_PER_FRAME * count),
        crops: h.hasCrops ? new Float64Array(buf.buffer, buf.byteOffset + L.crops, 3 * count) : null,
      };
    }
    const out = {
      from,
      count,
      channelIds: h.channelIds,
      status: new Uint8Array(count),
      confidence: new Float32Array(count),
      channels: new Float32Array(C * count),
      sh: new Float32Array(SH_PER_FRAME * count),
      crops: h.hasCrops ? new Float64Array(3 * count) : null,
    };
    if (count === 0) return out;
    const buf = this.buffer(full.bytes);
    for (let ci = Math.floor(from / K); ci * K < from + count; ci++) {
      const start = ci * K;
      const cn = Math.min(K, n - start);
      const L = await this.readChunk(buf, ci, cn, full.bytes);
      const a = Math.max(from, start);
      const b = Math.min(from + count, start + cn);
      const i0 = a - start; // in the chunk
      const o0 = a - from; // in the reply
      const k = b - a;
      out.status.set(buf.subarray(L.status + i0, L.status + i0 + k), o0);
      out.confidence.set(new Float32Array(buf.buffer, buf.byteOffset + L.confidence + i0 * 4, k), o0);
      const ch = new Float32Array(buf.buffer, buf.byteOffset + L.channels, C * cn);
      for (let c = 0; c < C; c++) out.channels.set(ch.subarray(c * cn + i0, c * cn + i0 + k), c * count + o0);
      out.sh.set(new Float32Array(buf.buffer, buf.byteOffset + L.sh + i0 * SH_PER_FRAME * 4, k * SH_PER_FRAME), o0 * SH_PER_FRAME);
      if (out.crops) out.crops.set(new Float64Array(buf.buffer, buf.byteOffset + L.crops + i0 * 24, k * 3), o0 * 3);
    }
    return out;
  }

  /** Reads chunk `ci` (of `cn` frames) into `buf` and checks it. */
  private async readChunk(buf: Uint8Array, ci: number, cn: number, fullBytes: number): Promise<ChunkLayout> {
    const L = chunkLayout(cn, this.header.channelIds.length, this.header.hasCrops);
    await this.src.read(buf, L.bytes, this.headerBytes + ci * fullBytes);
    const stored = new DataView(buf.buffer, buf.byteOffset + L.crc, 4).getUint32(0, true);
    if (crc32(buf.subarray(0, L.crc)) !== stored) throw new CacheUnusable(`chunk ${ci} is damaged`);
    return L;
  }

  private buf: Uint8Array | null = null;
  /** The read buffer: the spare one of the last closed cache when it is big enough (requests come one after another). */
  private buffer(bytes: number): Uint8Array {
    if (this.buf && this.buf.length >= bytes) return this.buf;
    if (spare && spare.length >= bytes) {
      this.buf = spare;
      spare = null;
    } else this.buf = new Uint8Array(bytes);
    return this.buf;
  }

  close(): Promise<void> {
    if (this.buf) spare = this.buf;
    this.buf = null;
    return this.src.close();
  }
}

/** One read buffer kept between requests (a chunk: ~1.4 MB), so a chunked fetch does not churn the allocator. */
let spare: Uint8Array | null = null;

export interface CacheSource {
  records: string;
  crops: string;
  actor: string;
  role: VideoRole;
  fps: number;
  frameCount: number;
  key: string;
}

/** Where each pose value sits in a channel row. */
const POSE_AT = {
  yaw: channelIndex('head.yaw'),
  pitch: channelIndex('head.pitch'),
  roll: channelIndex('head.roll'),
  tx: channelIndex('head.tx'),
  ty: channelIndex('head.ty'),
  tz: channelIndex('head.tz'),
};

/** Where the built bytes go, in order. */
interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * Derives the curves from the track files into `sink` (header, then chunk after chunk), as the
 * whole-clip derivation (loadTrackParams + tracksFromParams) would give them.
 */
export async function deriveTrackingCache(s: CacheSource, sink: ByteSink, chunkFrames = CACHE_CHUNK_FRAMES): Promise<CacheHeader> {
  const n = s.frameCount;
  const K = chunkFrames;
  const C = CHANNEL_COUNT;
  const actorFile = await readJson(s.actor, ActorFile);
  const crops = await readCrops(s.crops, n);
  const header: CacheHeader = {
    format: CACHE_FORMAT,
    version: CACHE_FORMAT_VERSION,
    key: s.key,
    role: s.role,
    fps: s.fps,
    frameCount: n,
    chunkFrames: K,
    channelIds: [...CHANNEL_IDS],
    hasCrops: crops !== null,
    actor: actorFile ? { focalPx: actorFile.focalPx, width: actorFile.width, height: actorFile.height, neutral: actorFile.neutral, albedo: actorFile.albedo } : null,
  };
  await sink.write(encodeHeader(header));

  const status = new Uint8Array(n);
  const confidence = new Float32Array(n);
  // The chunk being filled as the gap filler lets frames out (in order, maybe behind the records read).
  const full = chunkLayout(K, C, crops !== null);
  const chunk = new Uint8Array(full.bytes);
  let chunkStart = 0;
  let chunkN = Math.min(K, n);
  let L = chunkLayout(chunkN, C, crops !== null);
  let ch = new Float32Array(chunk.buffer, L.channels, C * chunkN);
  let sh = new Float32Array(chunk.buffer, L.sh, SH_PER_FRAME * chunkN);
  const emit = (f: number, v: Float32Array): Promise<void> | void => {
    const i = f - chunkStart;
    for (let c = 0; c < C; c++) ch[c * chunkN + i] = v[c]!;
    for (let k = 0, o = i * SH_PER_FRAME; k < SH_PER_FRAME; k++) sh[o + k] = v[C + k]!;
    if (i === chunkN - 1) return finishChunk();
  };
  const finishChunk = async () => {
    const a = chunkStart;
    chunk.set(status.subarray(a, a + chunkN), L.status);
    chunk.fill(0, L.status + chunkN, L.crc);
    new Float32Array(chunk.buffer, L.confidence, chunkN).set(confidence.subarray(a, a + chunkN));
    if (crops) new Float64Array(chunk.buffer, L.crops, 3 * chunkN).set(crops.subarray(3 * a, 3 * (a + chunkN)));
    const dv = new DataView(chunk.buffer);
    dv.setUint32(L.crc, crc32(chunk.subarray(0, L.crc)), true);
    chunk.fill(0, L.crc + 4, L.bytes);
    await sink.write(chunk.subarray(0, L.bytes));
    chunkStart += chunkN;
    chunkN = Math.min(K, n - chunkStart);
    if (chunkN > 0) {
      L = chunkLayout(chunkN, C, crops !== null);
      ch = new Float32Array(chunk.buffer, L.channels, C * chunkN);
      sh = new Float32Array(chunk.buffer, L.sh, SH_PER_FRAME * chunkN);
    }
  };
  const fallback = new Float32Array(C + SH_COEFFS);
  CHANNELS.forEach((d, c) => (fallback[c] = d.default));
  const filler = new GapFiller(C + SH_COEFFS, emit, fallback);

  const reader = await TrackRecordReader.open(s.records);
  try {
    // As loadTrackParams: a records file shorter than the clip counts as nothing tracked.
    if (reader && reader.frames >= n) {
      const pose = { yaw: 0, pitch: 0, roll: 0, tx: 0, ty: 0, tz: 0 };
      const smoother = new PoseSmoother(s.fps);
      const row = new Float32Array(C + SH_COEFFS);
      const recs = new Float32Array(Math.min(K, n) * RECORD_FLOATS);
      for (let first = 0; first < n; first += K) {
        const count = Math.min(K, n - first);
        await reader.read(first, count, recs);
        for (let i = 0; i < count; i++) {
          const f = first + i;
          const o = i * RECORD_FLOATS;
          const st = recs[o + REC_STATUS]!;
          status[f] = st;
          confidence[f] = recs[o + REC_CONFIDENCE]!;
          if (st === STATUS_FACE) {
            // The record's channels are the timeline's, in order (record.ts): copied as float32, as
            // readRecord + paramsToChannels copy them, without a FaceParams or a view per frame
            // (their garbage would grow the heap with the clip's length).
            for (let c = 0; c < C; c++) row[c] = recs[o + REC_PARAMS + c]!;
            for (let k = 0; k < SH_COEFFS; k++) row[C + k] = recs[o + REC_SH + k]!;
            // Pose gets a One Euro filter: removes detector jitter without lagging fast head turns.
            pose.yaw = row[POSE_AT.yaw]!;
            pose.pitch = row[POSE_AT.pitch]!;
            pose.roll = row[POSE_AT.roll]!;
            pose.tx = row[POSE_AT.tx]!;
            pose.ty = row[POSE_AT.ty]!;
            pose.tz = row[POSE_AT.tz]!;
            smoother.next(pose);
            row[POSE_AT.yaw] = pose.yaw;
            row[POSE_AT.pitch] = pose.pitch;
            row[POSE_AT.roll] = pose.roll;
            row[POSE_AT.tx] = pose.tx;
            row[POSE_AT.ty] = pose.ty;
            row[POSE_AT.tz] = pose.tz;
            const w = filler.valid(f, row);
            if (w) await w;
          } else filler.invalid(f);
        }
      }
    }
  } finally {
    await reader?.close();
  }
  await filler.end(n);
  return header;
}

/**
 * crops.json's boxes as x, y, size per frame; null when missing, damaged or of another length
 * than the clip (as good as none: tracking writes one per frame). The file as tracking writes it
 * (compact JSON) is scanned in pieces, never parsed whole (20 minutes of boxes parsed as objects
 * cost ~16 MB); any other spelling of it is parsed whole and checked by hand.
 */
export async function readCrops(path: string, n: number): Promise<Float64Array | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return null;
  }
  try {
    const scanned = await scanCrops(handle, n);
    if (scanned !== undefined) return scanned;
  } finally {
    await handle.close();
  }
  return parseCrops(path, n);
}

const NUM = String.raw`(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)`;
const CROPS_HEAD = /\{"version":1,"crops":\[/y;
const CROP_BOX = new RegExp(String.raw`\{"x":${NUM},"y":${NUM},"size":${NUM}\}`, 'y');
const CROPS_END = /\]\}\s*$/y;

/** The compact spelling, piece by piece: the boxes (null: wrong count or a value out of range), or undefined for another spelling. */
async function scanCrops(handle: fs.FileHandle, n: number): Promise<Float64Array | null | undefined> {
  const out = new Float64Array(3 * n);
  const buf = Buffer.alloc(1 << 16);
  let text = '';
  let eof = false;
  let state: 'head' | 'box' | 'sep' = 'head';
  let count = 0;
  for (;;) {
    if (!eof) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) eof = true;
      else text += buf.toString('latin1', 0, bytesRead);
    }
    let pos = 0;
    for (;;) {
      if (state === 'head') {
        CROPS_HEAD.lastIndex = pos;
        if (!CROPS_HEAD.test(text)) break;
        pos = CROPS_HEAD.lastIndex;
        state = 'box';
        if (text.startsWith(']', pos)) state = 'sep';
      } else if (state === 'box') {
        CROP_BOX.lastIndex = pos;
        const m = CROP_BOX.exec(text);
        if (!m) break;
        pos = CROP_BOX.lastIndex;
        if (count >= n) return null;
        for (let k = 0; k < 3; k++) {
          const v = Number(m[k + 1]);
          if (!Number.isFinite(v)) return null;
          out[count * 3 + k] = v;
        }
        count++;
        state = 'sep';
      } else {
        if (text.startsWith(',{', pos)) {
          pos += 1;
          state = 'box';
          continue;
        }
        CROPS_END.lastIndex = pos;
        if (eof && CROPS_END.test(text)) return count === n ? out : null;
        break;
      }
    }
    text = text.slice(pos);
    // What is left is part of one box at most, unless the file is spelt otherwise.
    if (eof || text.length > 4096) return undefined;
  }
}

async function parseCrops(path: string, n: number): Promise<Float64Array | null> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch {
    return null;
  }
  const file = json as { version?: unknown; crops?: unknown };
  if (!file || typeof file !== 'object' || file.version !== 1 || !Array.isArray(file.crops) || file.crops.length !== n) return null;
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const b = file.crops[i] as { x?: unknown; y?: unknown; size?: unknown } | null;
    if (!b || typeof b !== 'object') return null;
    const { x, y, size } = b;
    if (typeof x !== 'number' || typeof y !== 'number' || typeof size !== 'number' || !Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(size)) return null;
    out[i * 3] = x;
    out[i * 3 + 1] = y;
    out[i * 3 + 2] = size;
  }
  return out;
}

/**
 * Builds the cache file: written under a temporary name, fsynced and renamed into place, so a
 * crash leaves the old cache or the new one, never half of one.
 */
export async function writeTrackingCache(path: string, s: CacheSource, chunkFrames = CACHE_CHUNK_FRAMES): Promise<void> {
  await writeAtomicWith(path, async (h) => {
    let pos = 0;
    const sink: ByteSink = {
      async write(bytes) {
        await writeFully(h, bytes, pos);
        pos += bytes.length;
      },
    };
    await deriveTrackingCache(s, sink, chunkFrames);
  });
}

/** The cache in memory (when its file cannot be written: a full disk only loses the file). */
export async function memoryTrackingCache(s: CacheSource, chunkFrames = CACHE_CHUNK_FRAMES): Promise<Buffer> {
  const parts: Buffer[] = [];
  await deriveTrackingCache(s, { write: async (b) => void parts.push(Buffer.from(b)) }, chunkFrames);
  return Buffer.concat(parts);
}
