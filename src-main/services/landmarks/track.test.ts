import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPortraitError, type ErrorCode } from '../../../src-shared/ipc/errors.js';
import { readFrame } from '../video/decode.js';
import { detectLandmarks } from './detector.js';
import { trackLandmarks, type TrackOptions, type TrackProgress } from './track.js';
import type { TrackedFrame } from './types.js';

const fx = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

async function collect(path: string, opts: TrackOptions, out: TrackedFrame[] = []): Promise<TrackedFrame[]> {
  for await (const r of trackLandmarks(path, opts)) out.push(r);
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<ErrorCode | 'none'> {
  try {
    await p;
    return 'none';
  } catch (e) {
    if (isPortraitError(e)) return e.code;
    throw e;
  }
}

function meanDist(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < 468; i++) s += Math.hypot(a[i * 3]! - b[i * 3]!, a[i * 3 + 1]! - b[i * 3 + 1]!);
  return s / 468;
}

describe('trackLandmarks', () => {
  it('tracks a real clip with two workers, in order, matching single-frame detection', async () => {
    const progress: TrackProgress[] = [];
    const out = await collect(fx('franck_3s.mp4'), { workers: 2, chunkFrames: 30, onProgress: (p) => progress.push(p) });
    expect(out.map((r) => r.frame)).toEqual(Array.from({ length: 72 }, (_, i) => i));
    expect(out.every((r) => r.landmarks !== null && r.landmarks.faceCount === 1)).toBe(true);
    // Chunk starts (seek + fresh detection) and tracked frames agree with stills.
    for (const n of [0, 30, 59, 71]) {
      const f = await readFrame(fx('franck_3s.mp4'), n);
      const still = (await detectLandmarks(f.data, f.width, f.height))!;
      expect(meanDist(still.points, out[n]!.landmarks!.points), `frame ${n}`).toBeLessThan(4);
    }
    expect(progress.at(-1)!.done).toBe(72);
    expect(progress.at(-1)!.detectMs).toBeGreaterThan(0);
  });

  it('tracks a frame range and returns full-frame pixels from a downscaled decode', async () => {
    const out = await collect(fx('franck_3s.mp4'), { range: { start: 40, count: 8 }, workers: 1, maxHeight: 144 });
    expect(out.map((r) => r.frame)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
    const f = await readFrame(fx('franck_3s.mp4'), 44);
    const still = (await detectLandmarks(f.data, f.width, f.height))!;
    // Half resolution costs some precision, but points are in full-size pixels.
    expect(meanDist(still.points, out[4]!.landmarks!.points)).toBeLessThan(6);
  });

  it('tracks a rotated video in displayed coordinates', async () => {
    const out = await collect(fx('rotated_90.mp4'), { range: { start: 0, count: 4 }, workers: 1 });
    const lm = out[0]!.landmarks!;
    expect(lm).not.toBeNull();
    // Stored sideways, displayed upright: points match the upright original's.
    const f = await readFrame(fx('franck_3s.mp4'), 0);
    const still = (await detectLandmarks(f.data, f.width, f.height))!;
    expect(meanDist(still.points, lm.points)).toBeLessThan(4);
  });

  it('yields the frames before the damage of a corrupt video, then CORRUPT_MEDIA', async () => {
    const out: TrackedFrame[] = [];
    expect(await codeOf(collect(fx('truncated_half.mp4'), { workers: 2, chunkFrames: 10 }, out))).toBe('CORRUPT_MEDIA');
    expect(out.length).toBeGreaterThanOrEqual(10);
    expect(out.every((r, i) => r.frame === i && r.landmarks !== null)).toBe(true);
  });

  it('reports typed errors for a missing file and a non-video', async () => {
    expect(await codeOf(collect(fx('nope.mp4'), {}))).toBe('FILE_NOT_FOUND');
    expect(await codeOf(collect(fx('not_a_video.mp4'), {}))).toBe('NOT_A_VIDEO');
  });

  it('cancels with CANCELLED when the signal aborts', async () => {
    const ac = new AbortController();
    const out: TrackedFrame[] = [];
    const run = (async () => {
      for await (const r of trackLandmarks(fx('franck_3s.mp4'), { workers: 2, chunkFrames: 12, signal: ac.signal })) {
        out.push(r);
        if (out.length === 3) ac.abort();
      }
    })();
    expect(await codeOf(run)).toBe('CANCELLED');
    expect(out.length).toBeLessThan(72);
  });
});
