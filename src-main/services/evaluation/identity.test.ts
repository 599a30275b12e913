import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cropResize } from '../../../src-shared/image/crop.js';
import { readFrame, type VideoFrame } from '../video/decode.js';
import { cosineSimilarity, FaceEmbedder, normalize } from './identity.js';

const fx = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal, -1 for opposite vectors, and scale-free', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0, 0], [0, 5, 0])).toBe(0);
    expect(cosineSimilarity([1, -2, 0.5], [-1, 2, -0.5])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosineSimilarity(new Float32Array([3, 4]), new Float32Array([4, 3]))).toBeCloseTo(24 / 25, 6);
  });

  it('is 0 against a zero vector and throws on different lengths', () => {
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(RangeError);
  });

  it('normalize gives unit length, null for zero or non-finite input', () => {
    const n = normalize([3, 4])!;
    expect(Array.from(n)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(normalize([0, 0])).toBeNull();
    expect(normalize([1, Number.NaN])).toBeNull();
  });
});

describe('FaceEmbedder (faceres on real faces)', () => {
  let emb: FaceEmbedder;
  let franck0: VideoFrame, franck48: VideoFrame, cap12: VideoFrame;
  let eF0: Float32Array, eF48: Float32Array, eCap: Float32Array;
  let addedHandlers = 0;

  beforeAll(async () => {
    const count = () => process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
    const before = count();
    emb = await FaceEmbedder.create();
    addedHandlers = count() - before;
    [franck0, franck48, cap12] = await Promise.all([
      readFrame(fx('franck_3s.mp4'), 0),
      readFrame(fx('franck_3s.mp4'), 48),
      readFrame(fx('cap12_2s.mp4'), 10),
    ]);
    const e = async (f: VideoFrame) => {
      const v = await emb.embed(f.data, f.width, f.height);
      expect(v, `face in frame ${f.index} (${f.width}x${f.height})`).not.toBeNull();
      return v!;
    };
    eF0 = await e(franck0);
    eF48 = await e(franck48);
    eCap = await e(cap12);
  }, 120_000);

  afterAll(() => emb?.dispose());

  it('leaves no wasm process handlers behind', () => {
    expect(addedHandlers).toBe(0);
  });

  it('returns a unit-length 1024-d descriptor; the same image gives similarity 1', async () => {
    expect(eF0.length).toBe(1024);
    expect(norm(eF0)).toBeCloseTo(1, 4);
    expect(eF0.every(Number.isFinite)).toBe(true);
    const again = await emb.embed(franck0.data, franck0.width, franck0.height);
    expect(cosineSimilarity(eF0, again!)).toBeGreaterThan(0.999);
  });

  it('same person 2 s apart is clearly closer than a different person', () => {
    const same = cosineSimilarity(eF0, eF48);
    const diff0 = cosineSimilarity(eF0, eCap);
    const diff48 = cosineSimilarity(eF48, eCap);
    // Measured on wasm: same 0.82, different 0.49 / 0.55.
    expect(same).toBeGreaterThan(0.7);
    expect(same).toBeLessThan(0.999); // really two different frames
    expect(Math.max(diff0, diff48)).toBeLessThan(0.7);
    expect(same - Math.max(diff0, diff48)).toBeGreaterThan(0.15);
  });

  it('a 128x128 head crop matches the full frame of the same person', async () => {
    // franck's face box in frame 0 is about (87, 43) 221x221; this square keeps hair,
    // ears and some backdrop around it, as the renderer's head crops do.
    const box = { x: 54, y: 0, size: 288 };
    const crop128 = cropResize(franck0.data, franck0.width, franck0.height, box, 128);
    const e128 = await emb.embed(crop128, 128, 128);
    expect(e128).not.toBeNull();
    const vsFull = cosineSimilarity(e128!, eF0);
    // Measured: about 0.95.
    expect(vsFull).toBeGreaterThan(0.85);
    expect(vsFull).toBeGreaterThan(cosineSimilarity(e128!, eCap) + 0.2);

    const crop256 = cropResize(franck0.data, franck0.width, franck0.height, box, 256);
    const e256 = await emb.embed(crop256, 256, 256);
    expect(cosineSimilarity(e256!, eF0)).toBeGreaterThan(0.85);
  });

  it('returns null when there is no face', async () => {
    const w = 320, h = 240;
    expect(await emb.embed(new Uint8Array(w * h * 3).fill(128), w, h)).toBeNull();
    expect(await emb.embed(new Uint8Array(128 * 128 * 3).fill(128), 128, 128)).toBeNull();
  });

  it('rejects a buffer of the wrong size', async () => {
    await expect(emb.embed(new Uint8Array(10), 4, 4)).rejects.toThrow(RangeError);
  });
});
