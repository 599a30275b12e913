import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import { RECORD_FLOATS } from '../../../src-shared/tracks/record.js';
import { VERTEX_COUNT } from '../../../src-shared/face/index.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { readJson, readJsonIfPresent } from '../../fs/read-json.js';
import { coveragePath } from '../project/coverage.js';

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

export async function readFloats(path: string): Promise<Float32Array | null> {
  try {
    const buf = await fs.readFile(path);
    return new Float32Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 4));
  } catch {
    return null;
  }
}

/**
 * A fixed-size float file written in place at frame offsets and fsynced before the
 * coverage file moves the resume point: after a kill, resume redoes at most one chunk.
 */
export class FrameFile {
  private constructor(private readonly handle: fs.FileHandle, private readonly floatsPerFrame: number) {}

  static async open(path: string, frames: number, floatsPerFrame: number, reset: boolean): Promise<FrameFile> {
    const handle = await fs.open(path, reset ? 'w+' : await fs.access(path).then(() => 'r+', () => 'w+'));
    const size = frames * floatsPerFrame * 4;
    const st = await handle.stat();
    if (st.size !== size) await handle.truncate(size);
    return new FrameFile(handle, floatsPerFrame);
  }

  async write(firstFrame: number, data: Float32Array): Promise<void> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.handle.write(bytes, 0, bytes.length, firstFrame * this.floatsPerFrame * 4);
  }

  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async truncateFrames(frames: number): Promise<void> {
    await this.handle.truncate(frames * this.floatsPerFrame * 4);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export const RECORD_BYTES = RECORD_FLOATS * 4;
