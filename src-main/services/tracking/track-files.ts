import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import { RECORD_FLOATS } from '../../../src-shared/tracks/record.js';
import { VERTEX_COUNT } from '../../../src-shared/face/index.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { readJson, readJsonIfPresent } from '../../fs/read-json.js';
import { readFully } from '../../fs/exact-io.js';
import { coveragePath } from '../project/coverage.js';
import { currentHeader, encodeTrackHeader, parseTrackFile, parseTrackHeader, recordLayoutMap, remapRecords, toCurrentLayout, trackHeaderBytes, type TrackKind } from './track-format.js';
import { ifPresent } from '../../fs/if-present.js';

/** Detector landmarks kept per frame (478 x, y, z) for overlays and landmark-error figures. */
export const LANDMARK_FLOATS = 478 * 3;

export function trackPaths(dir: string, role: VideoRole) {
  const base = join(dir, 'tracks', role);
  return {
    records: `${base}.track.f32`,
    landmarks: `${base}.landmarks.f32`,
    actor: `${base}.actor.json`,
    crops: `${base}.crops.json`,
    coverage: coveragePath(dir, role),
  };
}

export const ActorFile = z.object({
  version: z.literal(1),
  videoSha256: z.string(),
  fps: z.number().positive(),
  frameCount: z.number().int().nonnegative(),
  focalPx: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  neutral: z.array(z.number()).length(VERTEX_COUNT * 3),
  albedo: z.array(z.number()).length(VERTEX_COUNT * 3),
  /** Frames used to estimate identity and albedo. */
  identityFrames: z.array(z.number().int()),
});
export type ActorFile = z.infer<typeof ActorFile>;

/** Coverage with the resume point: frames [0, resumeFrom) are durably written. */
export const CoverageFile = z.object({
  framesTracked: z.number().int().nonnegative(),
  framesWithFace: z.number().int().nonnegative(),
  resumeFrom: z.number().int().nonnegative().default(0),
  complete: z.boolean().default(false),
  multiFaceFrames: z.number().int().nonnegative().default(0),
});
export type CoverageFile = z.infer<typeof CoverageFile>;

export const CropsFile = z.object({ version: z.literal(1), crops: z.array(z.object({ x: z.number(), y: z.number(), size: z.number() })) });

export { readJson, readJsonIfPresent };

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value));
}

function kindOf(path: string): { kind: TrackKind; floatsPerFrame: number } {
  return path.endsWith('.landmarks.f32') ? { kind: 'landmarks', floatsPerFrame: LANDMARK_FLOATS } : { kind: 'records', floatsPerFrame: RECORD_FLOATS };
}

/**
 * A track file's frames in today's layout (null when it does not exist). A damaged header is
 * PROJECT_CORRUPT, a newer format PROJECT_TOO_NEW; an older layout is remapped by channel name.
 */
export async function readFloats(path: string): Promise<Float32Array | null> {
  const buf = await ifPresent(fs.readFile(path));
  if (!buf) return null;
  const { kind, floatsPerFrame } = kindOf(path);
  return toCurrentLayout(parseTrackFile(buf, kind, floatsPerFrame, path), kind, floatsPerFrame, path);
}

/**
 * A records file read a range of frames at a time, in today's layout (readFloats without reading
 * the file whole: 20 minutes of records are ~70 MB).
 */
export class TrackRecordReader {
  private buf = new Uint8Array(0);
  private constructor(
    private readonly handle: fs.FileHandle,
    /** Whole frames in the file. */
    readonly frames: number,
    private readonly headerBytes: number,
    private readonly fileFloats: number,
    private readonly map: Int32Array | null,
  ) {}

  /** Null when the file does not exist; a damaged header is PROJECT_CORRUPT, as readFloats says. */
  static async open(path: string): Promise<TrackRecordReader | null> {
    const handle = await ifPresent(fs.open(path, 'r'));
    if (!handle) return null;
    try {
      const size = (await handle.stat()).size;
      let head = Buffer.alloc(Math.min(size, 8));
      await handle.read(head, 0, head.length, 0);
      const need = Math.min(size, trackHeaderBytes(head));
      if (need > head.length) {
        head = Buffer.alloc(need);
        await handle.read(head, 0, need, 0);
      }
      const t = parseTrackHeader(head, size, 'records', RECORD_FLOATS, path);
      return new TrackRecordReader(handle, t.frames, t.headerBytes, t.header.floatsPerFrame, recordLayoutMap(t.header.channels!));
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /** Frames [first, first + count) in today's layout (count x RECORD_FLOATS), written into `out`. */
  async read(first: number, count: number, out: Float32Array = new Float32Array(count * RECORD_FLOATS)): Promise<Float32Array> {
    if (first < 0 || count < 0 || first + count > this.frames) throw new RangeError(`frames ${first}+${count} outside 0..${this.frames}`);
    const bytes = count * this.fileFloats * 4;
    const target = this.map ? null : new Uint8Array(out.buffer, out.byteOffset, bytes);
    if (!target && this.buf.length < bytes) this.buf = new Uint8Array(bytes);
    const into = target ?? this.buf;
    if (!(await readFully(this.handle, into, bytes, this.headerBytes + first * this.fileFloats * 4))) throw new Error('the records file got shorter while it was read');
    if (this.map) remapRecords(new Float32Array(this.buf.buffer, 0, count * this.fileFloats), this.fileFloats, this.map, out);
    return out.subarray(0, count * RECORD_FLOATS);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * A fixed-size float file (header, then one record per frame) written in place at frame offsets
 * and fsynced before the coverage file moves the resume point: after a kill, resume redoes at
 * most one chunk. A file of an older format or layout is rewritten in today's on open.
 */
export class FrameFile {
  private constructor(
    private readonly handle: fs.FileHandle,
    private readonly floatsPerFrame: number,
    private readonly headerBytes: number,
  ) {}

  static async open(path: string, frames: number, floatsPerFrame: number, reset: boolean): Promise<FrameFile> {
    const { kind } = kindOf(path);
    const header = encodeTrackHeader(currentHeader(kind, frames, floatsPerFrame));
    const size = header.length + frames * floatsPerFrame * 4;
    // A file already in today's format and size is opened as it is: reading it whole (165 MB of
    // landmarks for 20 minutes) is only needed to migrate an older one.
    if (!reset && (await hasHeader(path, header, size))) {
      const handle = await fs.open(path, 'r+');
      return new FrameFile(handle, floatsPerFrame, header.length);
    }
    if (!reset) {
      const existing = await ifPresent(fs.readFile(path));
      if (existing) {
        const parsed = parseTrackFile(existing, kind, floatsPerFrame, path);
        if (parsed.legacy || parsed.headerBytes !== header.length || !existing.subarray(0, header.length).equals(header)) {
          // Older format, layout or frame count: migrate to today's (atomically: a kill keeps the old file).
          const data = toCurrentLayout(parsed, kind, floatsPerFrame, path);
          const payload = Buffer.alloc(frames * floatsPerFrame * 4);
          const keep = Math.min(payload.length, data.byteLength);
          Buffer.from(data.buffer, data.byteOffset, keep).copy(payload);
          await writeFileAtomic(path, Buffer.concat([header, payload]));
        }
      } else reset = true;
    }
    const handle = await fs.open(path, reset ? 'w+' : 'r+');
    if (reset) {
      await handle.write(header, 0, header.length, 0);
      await handle.truncate(size);
    } else if ((await handle.stat()).size !== size) await handle.truncate(size);
    return new FrameFile(handle, floatsPerFrame, header.length);
  }

  async write(firstFrame: number, data: Float32Array): Promise<void> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.handle.write(bytes, 0, bytes.length, this.headerBytes + firstFrame * this.floatsPerFrame * 4);
  }

  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** True when the file has exactly `size` bytes and starts with `header`. */
async function hasHeader(path: string, header: Buffer, size: number): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return false;
  }
  try {
    if ((await handle.stat()).size !== size) return false;
    const head = Buffer.alloc(header.length);
    return (await readFully(handle, head, head.length, 0)) && head.equals(header);
  } finally {
    await handle.close();
  }
}
