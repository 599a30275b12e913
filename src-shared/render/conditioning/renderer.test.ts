import { describe, expect, it } from 'vitest';
import { createActorModel, createFaceGeometry, evalFace, neutralParams, SH_COEFFS, type FaceParams } from '../../face/index.js';
import { faceRenderTopology, frameGeometryFromFace } from '../faceMesh.js';
import { ellipsoidHead } from '../synthetic/ellipsoidHead.js';
import { centredCamera, syntheticFrame } from '../synthetic/scene.js';
import { buildTopology } from '../topology.js';
import { CHANNELS_PER_FRAME, ConditioningRenderer, frameImageToRgb8 } from './renderer.js';

const W = 128;
const topo = buildTopology(ellipsoidHead());
const cam = centredCamera(W, W);
const renderer = new ConditioningRenderer(topo, W, W);

function render(over: Partial<FaceParams> = {}): Float32Array {
  return renderer.render(syntheticFrame(topo, over), cam);
}

/** Counts gaze pixels by class and the mean x of the blue (pupil) ones. */
function gazeStats(img: Float32Array, width = W): { white: number; blue: number; blueX: number } {
  let white = 0, blue = 0, sx = 0;
  for (let p = 0; p < img.length / CHANNELS_PER_FRAME; p++) {
    const o = p * CHANNELS_PER_FRAME + 6;
    if (img[o] === 1 && img[o + 1] === 1 && img[o + 2] === 1) white++;
    if (img[o] === -1 && img[o + 1] === -1 && img[o + 2] === 1) {
      blue++;
      sx += p % width;
    }
  }
  return { white, blue, blueX: blue ? sx / blue : NaN };
}

describe('conditioning images (synthetic head)', () => {
  it('a frontal symmetric head is left-right symmetric in the correspondence image', () => {
    const img = render();
    let both = 0, maskMismatch = 0, covered = 0;
    for (let j = 0; j < W; j++) {
      for (let i = 0; i < W; i++) {
        const o = (j * W + i) * CHANNELS_PER_FRAME + 3;
        const m = (j * W + (W - 1 - i)) * CHANNELS_PER_FRAME + 3;
        const inA = img[o + 2]! > -1 || img[o]! > -1 || img[o + 1]! > -1;
        const inB = img[m + 2]! > -1 || img[m]! > -1 || img[m + 1]! > -1;
        if (inA) covered++;
        if (inA !== inB) { maskMismatch++; continue; }
        if (!inA) continue;
        both++;
        expect(Math.abs(img[o]! + img[m]!)).toBeLessThan(2e-3); // r encodes x: mirrored
        expect(Math.abs(img[o + 1]! - img[m + 1]!)).toBeLessThan(2e-3);
        expect(Math.abs(img[o + 2]! - img[m + 2]!)).toBeLessThan(2e-3);
      }
    }
    expect(covered).toBeGreaterThan(W * W * 0.15);
    expect(maskMismatch).toBeLessThanOrEqual(4);
    expect(both).toBeGreaterThan(W * W * 0.15);
  });

  it('a turned head is not symmetric (the symmetry test can fail)', () => {
    const img = render({ yaw: 25 });
    let asym = 0;
    for (let j = 0; j < W; j++) for (let i = 0; i < W / 2; i++) {
      const o = (j * W + i) * CHANNELS_PER_FRAME + 3, m = (j * W + (W - 1 - i)) * CHANNELS_PER_FRAME + 3;
      if (Math.abs(img[o]! + img[m]!) > 0.05) asym++;
    }
    expect(asym).toBeGreaterThan(100);
  });

  it('open eyes show white and blue pupils; closed eyes leave neither', () => {
    const open = gazeStats(render());
    expect(open.white).toBeGreaterThan(20);
    expect(open.blue).toBeGreaterThan(5);
    const half = gazeStats(render({ blinkLeft: 0.5, blinkRight: 0.5 }));
    expect(half.white + half.blue).toBeLessThan(open.white + open.blue);
    const closed = gazeStats(render({ blinkLeft: 1, blinkRight: 1 }));
    expect(closed.white).toBe(0);
    expect(closed.blue).toBe(0);
  });

  it('gaze turned to the subject\'s right moves the pupils left in the image, and vice versa', () => {
    const centre = gazeStats(render());
    const right = gazeStats(render({ gazeLeft: { yaw: -25, pitch: 0 }, gazeRight: { yaw: -25, pitch: 0 } }));
    const left = gazeStats(render({ gazeLeft: { yaw: 25, pitch: 0 }, gazeRight: { yaw: 25, pitch: 0 } }));
    expect(right.blueX).toBeLessThan(centre.blueX - 1);
    expect(left.blueX).toBeGreaterThan(centre.blueX + 1);
  });

  it('colour follows the SH lighting: light from the subject\'s left brightens the image right half', () => {
    const sh = new Float32Array(SH_COEFFS);
    sh.fill(0.6, 0, 3);
    sh.fill(0.4, 9, 12); // band-1 x coefficient
    const img = render({ sh });
    let left = 0, right = 0;
    for (let j = 0; j < W; j++) for (let i = 0; i < W; i++) {
      const o = (j * W + i) * CHANNELS_PER_FRAME;
      if (img[o]! <= -1) continue;
      if (i < W / 2) left += img[o]! + 1; else right += img[o]! + 1;
    }
    expect(right).toBeGreaterThan(1.5 * left);
  });

  it('does not allocate a new output when one is given and exports 8-bit images', () => {
    const out = new Float32Array(renderer.frameSize());
    const r = renderer.render(syntheticFrame(topo), cam, out);
    expect(r).toBe(out);
    const rgb = frameImageToRgb8(out, W, W, 'gaze');
    expect(rgb.length).toBe(W * W * 3);
    expect(rgb.some((v) => v === 255)).toBe(true);
  });
});

describe('conditioning images (face model mesh)', () => {
  const ftopo = faceRenderTopology();
  const actor = createActorModel();
  const geom = createFaceGeometry();
  const fr = new ConditioningRenderer(ftopo, W, W);
  const fcam = centredCamera(W, W, 3.5 * W);
  const renderFace = (over: Partial<FaceParams>): Float32Array => {
    const p = { ...neutralParams(), ...over };
    evalFace(actor, p, geom);
    return fr.render(frameGeometryFromFace(actor, geom, p), fcam);
  };

  it('finds both eye openings on the mesh', () => {
    expect(ftopo.eyes.triEye.filter((e) => e === 0).length).toBeGreaterThan(5);
    expect(ftopo.eyes.triEye.filter((e) => e === 1).length).toBeGreaterThan(5);
  });

  it('renders a lit face with eyes, closes them on blink and follows gaze', () => {
    const img = renderFace({});
    let lit = 0;
    for (let p = 0; p < W * W; p++) if (img[p * CHANNELS_PER_FRAME]! > -0.9) lit++;
    expect(lit).toBeGreaterThan(W * W * 0.1);
    const open = gazeStats(img);
    expect(open.white).toBeGreaterThan(10);
    expect(open.blue).toBeGreaterThan(3);
    const closed = gazeStats(renderFace({ blinkLeft: 1, blinkRight: 1 }));
    expect(closed.white + closed.blue).toBe(0);
    const left = gazeStats(renderFace({ gazeLeft: { yaw: 25, pitch: 0 }, gazeRight: { yaw: 25, pitch: 0 } }));
    expect(left.blueX).toBeGreaterThan(open.blueX + 0.5);
  });
});
