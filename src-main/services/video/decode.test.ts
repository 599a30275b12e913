import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPortraitError, type ErrorCode } from '../../../src-shared/ipc/errors.js';
import { decodeFrames, readFrame, videoHeader, type VideoFrame } from './decode.js';

const fx = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

async function all(path: string, opts: Parameters<typeof decodeFrames>[1] = {}): Promise<VideoFrame[]> {
  const out: VideoFrame[] = [];
  for await (const f of decodeFrames(path, opts)) out.push(f);
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

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

/** Rotates an RGB24 image 90 degrees counter-clockwise (w x h -> h x w). */
function rotateCcw(src: Uint8Array, w: number, h: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = y;
      const dy = w - 1 - x;
      const d = (dy * h + dx) * 3;
      const s = (y * w + x) * 3;
      out[d] = src[s]!;
      out[d + 1] = src[s + 1]!;
      out[d + 2] = src[s + 2]!;
    }
  }
  return out;
}

describe('decodeFrames', () => {
  it('decodes every frame of a real clip at its size, in order', async () => {
    const frames = await all(fx('franck_3s.mp4'));
    expect(frames).toHaveLength(72);
    frames.forEach((f, i) => {
      expect(f.index).toBe(i);
      expect([f.width, f.height]).toEqual([360, 288]);
      expect(f.data.length).toBe(360 * 288 * 3);
    });
    // Real content, not a blank buffer: the backdrop is blue, and frames change over time.
    const d = frames[0]!.data;
    let b = 0, r = 0;
    for (let i = 0; i < d.length; i += 3) { r += d[i]!; b += d[i + 2]!; }
    expect(b).toBeGreaterThan(r);
    expect(meanAbsDiff(frames[0]!.data, frames[71]!.data)).toBeGreaterThan(1);
  });

  it('decodes the other actor clip and a two-frame clip', async () => {
    const cap = await all(fx('cap12_2s.mp4'));
    expect(cap).toHaveLength(50);
    expect([cap[0]!.width, cap[0]!.height]).toEqual([400, 300]);
    expect(await all(fx('two_frames.mp4'))).toHaveLength(2);
  });

  it('returns a frame range', async () => {
    const seq = await all(fx('franck_3s.mp4'));
    const part = await all(fx('franck_3s.mp4'), { start: 30, count: 5 });
    expect(part.map((f) => f.index)).toEqual([30, 31, 32, 33, 34]);
    part.forEach((f) => expect(Buffer.compare(f.data, seq[f.index]!.data)).toBe(0));
  });

  it('seeks frame-accurately: readFrame(N) has the pixels of sequential frame N', async () => {
    const seq = await all(fx('franck_3s.mp4'));
    // Keyframes every 24 frames: cover keyframes, B-frames, the first and the last frame.
    for (const n of [0, 1, 23, 24, 25, 37, 47, 48, 60, 71]) {
      const f = await readFrame(fx('franck_3s.mp4'), n);
      expect(f.index).toBe(n);
      expect(Buffer.compare(f.data, seq[n]!.data), `frame ${n}`).toBe(0);
    }
    expect(await codeOf(readFrame(fx('franck_3s.mp4'), 72))).toBe('BAD_REQUEST');
  });

  it('seeks frame-accurately on a variable-frame-rate clip too', async () => {
    const seq = await all(fx('vfr.mp4'));
    const h = await videoHeader(fx('vfr.mp4'));
    expect(seq.length).toBe(Math.round(h.durationSec * h.fps));
    for (const n of [5, 20, 27, 33]) {
      const f = await readFrame(fx('vfr.mp4'), n);
      expect(Buffer.compare(f.data, seq[n]!.data), `frame ${n}`).toBe(0);
    }
  });

  it('normalises to a requested constant rate by duplicating or dropping frames', async () => {
    const at48 = await all(fx('two_frames.mp4'), { fps: 48 });
    expect(at48.length).toBeGreaterThanOrEqual(3);
    const at12 = await all(fx('franck_3s.mp4'), { fps: 12 });
    expect(at12).toHaveLength(36);
  });

  it('applies rotation metadata: displayed size and pixels', async () => {
    // Coded sideways (288x360) with a rotate tag; displayed upright like the original.
    const h = await videoHeader(fx('rotated_90.mp4'));
    expect(h.rotation).toBe(270);
    expect([h.codedWidth, h.codedHeight]).toEqual([288, 360]);
    const rot = await readFrame(fx('rotated_90.mp4'), 3);
    expect([rot.width, rot.height]).toEqual([360, 288]);
    const plain = await readFrame(fx('franck_3s.mp4'), 3);
    expect(meanAbsDiff(rot.data, plain.data)).toBeLessThan(3);
    // ... and not upside down (a 180 degree error would keep the size too).
    const flipped = rotateCcw(rotateCcw(plain.data, 360, 288), 288, 360);
    expect(meanAbsDiff(rot.data, flipped)).toBeGreaterThan(10);
  });

  it('downscales to fit a box keeping the aspect ratio', async () => {
    const f = await readFrame(fx('franck_3s.mp4'), 0, { maxWidth: 180 });
    expect([f.width, f.height]).toEqual([180, 144]);
    const big = await readFrame(fx('franck_3s.mp4'), 0, { maxWidth: 4000, maxHeight: 4000 });
    expect([big.width, big.height]).toEqual([360, 288]);
  });

  it('yields the frames before the damage, then CORRUPT_MEDIA', async () => {
    const got: VideoFrame[] = [];
    const code = await codeOf((async () => { for await (const f of decodeFrames(fx('truncated_half.mp4'))) got.push(f); })());
    expect(code).toBe('CORRUPT_MEDIA');
    expect(got.length).toBeGreaterThan(10);
    expect(got.length).toBeLessThan(72);
    const seq = await all(fx('franck_3s.mp4'), { count: got.length });
    got.forEach((f, i) => expect(meanAbsDiff(f.data, seq[i]!.data)).toBeLessThan(0.5));
  });

  it('reports missing files, non-videos and empty files with typed errors', async () => {
    expect(await codeOf(all(fx('does_not_exist.mp4')))).toBe('FILE_NOT_FOUND');
    expect(await codeOf(all(fx('not_a_video.mp4')))).toBe('NOT_A_VIDEO');
    expect(await codeOf(all(fx('empty.mp4')))).toBe('NOT_A_VIDEO');
    expect(await codeOf(all(fx('audio_only.m4a')))).toBe('NOT_A_VIDEO');
    expect(await codeOf(all(fx('franck_3s.mp4'), { start: -1 }))).toBe('BAD_REQUEST');
  });

  it('cancels: aborting mid-stream stops with CANCELLED', async () => {
    const ac = new AbortController();
    let n = 0;
    const code = await codeOf((async () => {
      for await (const _f of decodeFrames(fx('franck_3s.mp4'), { signal: ac.signal })) {
        if (++n === 5) ac.abort();
      }
    })());
    expect(code).toBe('CANCELLED');
    expect(n).toBeLessThan(72);
  });

  it('lets the consumer stop early without hanging', async () => {
    let n = 0;
    for await (const _f of decodeFrames(fx('franck_3s.mp4'))) if (++n === 3) break;
    expect(n).toBe(3);
  });
});
