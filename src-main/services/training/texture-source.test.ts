import { describe, expect, it } from 'vitest';
import { neutralParams, type FaceParams } from '../../../src-shared/face/index.js';
import { CHANNELS_PER_FRAME, WINDOW_CHANNELS, WINDOW_FRAMES } from '../../../src-shared/conditioning/index.js';
import { CORRESPONDENCE_OFFSET, textureSource, TEXTURE_MAX_FRAMES } from './dataset.js';

const SIZE = 8;
const N = 1000;

/** Frame g: a face over the middle 6x6 pixels whose colour is g's own, so which frames went into a texture shows. */
const frame = (g: number) => {
  const out = new Uint8Array(SIZE * SIZE * 3).fill(20);
  for (let y = 1; y < 7; y++) for (let x = 1; x < 7; x++) out.fill((g * 37) % 251, 3 * (y * SIZE + x), 3 * (y * SIZE + x) + 3);
  return out;
};
const render = (_g: number, out: Float32Array) => {
  out.fill(-1);
  for (let y = 1; y < 7; y++) {
    for (let x = 1; x < 7; x++) {
      const o = (y * SIZE + x) * CHANNELS_PER_FRAME + CORRESPONDENCE_OFFSET;
      out[o] = (x - 1) / 2.5 - 1; out[o + 1] = 1 - (y - 1) / 2.5; out[o + 2] = 0.5;
      out[o + 3] = -1; out[o + 4] = -1; out[o + 5] = -1; // gaze: no eye
    }
  }
  return out;
};
/** Frame g with its background in g's own grey too (no wrap below 250), so which crops went into a background shows. */
const posedFrame = (g: number) => {
  const out = frame(g);
  for (let p = 0; p < SIZE * SIZE; p++) {
    const x = p % SIZE, y = Math.floor(p / SIZE);
    if (x < 1 || x > 6 || y < 1 || y > 6) out.fill(g % 250, 3 * p, 3 * p + 3);
  }
  return out;
};
const view = { data: render(0, new Float32Array(SIZE * SIZE * CHANNELS_PER_FRAME)), stride: CHANNELS_PER_FRAME, offset: CORRESPONDENCE_OFFSET };
/** Parameters that put frame g's neighbours in parameter space near g in time. */
const paramsOf = (g: number): FaceParams => ({ ...neutralParams(), yaw: g / 100 });

describe('the unwrapped-texture source', () => {
  it('the local-texture mode draws the same average texture as the plain mode, whatever stride its per-frame textures take; progress counts the frames it reads', async () => {
    const frames = Array.from({ length: N }, (_, g) => g);
    const plain = await textureSource(frames, frame, render, SIZE);
    const progress: [number, number][] = [];
    // 1000 frames: the average takes every 3rd (TEXTURE_MAX_FRAMES 400), the per-frame textures every 2nd here
    const local = await textureSource(frames, frame, render, SIZE, { paramsOf, localBytes: 500 * SIZE * SIZE * 4, onProgress: (d, t) => progress.push([d, t]) });
    expect(Math.ceil(N / TEXTURE_MAX_FRAMES)).toBe(3);
    const cond = render(0, new Float32Array(SIZE * SIZE * CHANNELS_PER_FRAME));
    const view = { data: cond, stride: CHANNELS_PER_FRAME, offset: CORRESPONDENCE_OFFSET };
    for (const f of [10, 600, 1200]) {
      expect(local.draw(f, view, new Uint8Array(SIZE * SIZE * 3))).toEqual(plain.draw(f, view, new Uint8Array(SIZE * SIZE * 3)));
    }
    expect(plain.drawLocal).toBeNull();
    // frames read: every 2nd or 3rd of 1000 = 667, reported every 24 and never past the total
    expect(progress.at(-1)).toEqual([648, 667]);
    expect(progress.every(([d, t]) => d <= t && t === 667)).toBe(true);
    // The local drawing of frame 600 leans to the colours of frames near it in parameters (not within 50 frames of it).
    const p = paramsOf(600);
    const drawn = local.drawLocal!(600, p, view, new Uint8Array(SIZE * SIZE * 3));
    const centre = 3 * (4 * SIZE + 4);
    expect(drawn[centre]).not.toBe(plain.draw(600, view, new Uint8Array(SIZE * SIZE * 3))[centre]);
    expect(local.posedBackground).toBe(false);
    // Kept for other uses (the evaluation's local textured model), the per-frame textures leave the network's input the average texture.
    const kept = await textureSource(frames, frame, render, SIZE, { paramsOf, localBytes: 500 * SIZE * SIZE * 4, localInput: false });
    const window = new Float32Array(SIZE * SIZE * WINDOW_CHANNELS);
    for (let i = 0; i < SIZE * SIZE; i++) window.set(cond.subarray(i * CHANNELS_PER_FRAME, (i + 1) * CHANNELS_PER_FRAME), i * WINDOW_CHANNELS + (WINDOW_FRAMES - 1) * CHANNELS_PER_FRAME);
    expect(kept.forFrame(p, 600, window)).toEqual(plain.forFrame(p, 600, window));
    expect(kept.drawLocal!(600, p, view, new Uint8Array(SIZE * SIZE * 3))).toEqual(drawn);
    expect(local.forFrame(p, 600, window)).toEqual(drawn);
  });

  it('local-texture-posed: outside the face, the mean of the training crops nearest in head pose to the parameters drawn; inside it, the same local texture', async () => {
    const frames = Array.from({ length: N }, (_, g) => g);
    const opts = { paramsOf, localBytes: 500 * SIZE * SIZE * 4 };
    const local = await textureSource(frames, posedFrame, render, SIZE, opts);
    const posed = await textureSource(frames, posedFrame, render, SIZE, { ...opts, posedBackground: true });
    expect(posed.posedBackground).toBe(true);
    const corner = 0, centre = 3 * (4 * SIZE + 4);
    // Frame 600 drawn with the head pose of frames 200 and 990 (yaw only differs here): their neighbours' backgrounds.
    for (const [g, grey] of [[200, 200], [990, 990 % 250]] as const) {
      const p = paramsOf(g);
      const a = posed.drawLocal!(600, p, view, new Uint8Array(SIZE * SIZE * 3));
      const b = local.drawLocal!(600, p, view, new Uint8Array(SIZE * SIZE * 3));
      expect(Math.abs(a[corner]! - grey)).toBeLessThanOrEqual(1);
      expect(a[centre]).toBe(b[centre]);
      // the plain local drawing shows the mean crop there instead (the mean of all the greys, ~125)
      expect(Math.abs(b[corner]! - grey)).toBeGreaterThan(40);
    }
    // Never the frame's own neighbourhood: frame 600 drawn with its own pose takes crops more than 50 frames away.
    const own = posed.drawLocal!(600, paramsOf(600), view, new Uint8Array(SIZE * SIZE * 3));
    expect(own[corner]).toBe(600 % 250);
    const near600 = await textureSource(frames.filter((g) => g < 600), posedFrame, render, SIZE, { ...opts, posedBackground: true });
    // all its nearest crops lie below frame 549 (the exclusion), so the mean is under 549's grey
    expect(near600.drawLocal!(600, paramsOf(600), view, new Uint8Array(SIZE * SIZE * 3))[corner]).toBeLessThan(549 % 250);
  });

  it('trainingExclusion widens the exclusion for training frames only: a held-out frame keeps REFERENCE_EXCLUSION_FRAMES', async () => {
    const training = Array.from({ length: 900 }, (_, g) => g);
    const opts = { paramsOf, localBytes: 500 * SIZE * SIZE * 4, posedBackground: true };
    const plain = await textureSource(training, posedFrame, render, SIZE, opts);
    const wide = await textureSource(training, posedFrame, render, SIZE, { ...opts, trainingExclusion: 200 });
    const corner = (src: typeof plain, f: number) => src.drawLocal!(f, paramsOf(f), view, new Uint8Array(SIZE * SIZE * 3))[0]!;
    // training frame 150: its 16 nearest in pose lie outside 100..200 (92..99 and 201..208, mean 150), or past 350 (351..366, mean ~358)
    expect(Math.abs(corner(plain, 150) - 150)).toBeLessThanOrEqual(1);
    expect(Math.abs(corner(wide, 150) - (358 % 250))).toBeLessThanOrEqual(1);
    // held-out frame 950: the 16 training frames nearest it in pose below 900 (884..899) in both
    expect(corner(wide, 950)).toBe(corner(plain, 950));
    expect(Math.abs(corner(wide, 950) - (891 % 250))).toBeLessThanOrEqual(1);
  });
});
