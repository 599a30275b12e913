import { describe, expect, it } from 'vitest';
import { createActorModel, createFaceGeometry, evalFace, neutralParams, SH_COEFFS, type FaceParams } from '../../face/index.js';
import { faceRenderTopology, frameGeometryFromFace } from '../faceMesh.js';
import { ellipsoidHead } from '../synthetic/ellipsoidHead.js';
import { centredCamera, syntheticFrame } from '../synthetic/scene.js';
import { projectPoints } from '../camera.js';
import { buildTopology } from '../render-topology.js';
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

  it('the visible eye opening is proportional to 1 - blink (mesh lids and analytic lid do not close twice)', () => {
    // Higher resolution for the area measurement: the eyes are ~45 px wide here.
    const HW = 512;
    const hr = new ConditioningRenderer(ftopo, HW, HW);
    const hcam = centredCamera(HW, HW, 3.5 * HW);
    const opening = (b: number): number => {
      const p = { ...neutralParams(), blinkLeft: b, blinkRight: b };
      evalFace(actor, p, geom);
      const s = gazeStats(hr.render(frameGeometryFromFace(actor, geom, p), hcam), HW);
      return s.white + s.blue;
    };
    const blinks = [0, 0.25, 0.5, 0.75, 1];
    const area = blinks.map(opening);
    expect(area[0]).toBeGreaterThan(1000);
    const ratio = area.map((a) => a / area[0]!);
    expect(ratio[1]).toBeGreaterThan(0.65);
    expect(ratio[1]).toBeLessThan(0.85);
    expect(ratio[2]).toBeGreaterThan(0.4);
    expect(ratio[2]).toBeLessThan(0.6);
    expect(ratio[3]).toBeGreaterThan(0.15);
    expect(ratio[3]).toBeLessThan(0.35);
    for (let k = 1; k < blinks.length; k++) expect(area[k]).toBeLessThan(area[k - 1]!);
    expect(area[4]).toBe(0);
    // Near closed it keeps shrinking to zero (the residual lid ramps in, no jump back open).
    const near = [0.9, 0.95, 0.97, 0.99, 1].map(opening);
    for (let k = 1; k < near.length; k++) expect(near[k]).toBeLessThanOrEqual(near[k - 1]!);
  });

  it('the pupil is centred on the projected iris centre vertex of the posed model', () => {
    const HW = 512;
    const hr = new ConditioningRenderer(ftopo, HW, HW);
    const hcam = centredCamera(HW, HW, 3.5 * HW);
    const sx = new Float32Array(ftopo.vertexCount), sy = new Float32Array(ftopo.vertexCount), iw = new Float32Array(ftopo.vertexCount);
    const cases: Partial<FaceParams>[] = [
      {},
      { gazeLeft: { yaw: 15, pitch: 5 }, gazeRight: { yaw: 15, pitch: 5 } },
      { yaw: 15, pitch: -6, roll: 5, gazeLeft: { yaw: -12, pitch: -4 }, gazeRight: { yaw: -12, pitch: -4 } },
      { yaw: -10, pitch: 8, gazeLeft: { yaw: 8, pitch: 0 }, gazeRight: { yaw: 5, pitch: -3 }, blinkLeft: 0.2, blinkRight: 0.2 },
    ];
    let checkedY = 0;
    for (const over of cases) {
      const p = { ...neutralParams(), ...over };
      evalFace(actor, p, geom);
      const img = hr.render(frameGeometryFromFace(actor, geom, p), hcam);
      projectPoints(hcam, geom.positions, ftopo.vertexCount, sx, sy, iw);
      const blue = (i: number, j: number): boolean => {
        const o = (j * HW + i) * CHANNELS_PER_FRAME + 6;
        return img[o] === -1 && img[o + 2] === 1;
      };
      const white = (i: number, j: number): boolean => img[(j * HW + i) * CHANNELS_PER_FRAME + 6] === 1;
      for (let e = 0; e < 2; e++) {
        const iv = ftopo.eyes.irisVertex[e]!;
        const ci = Math.floor(sx[iv]!), cj = Math.floor(sy[iv]!);
        expect(blue(ci, cj)).toBe(true);
        // The blue run through the iris vertex's pixel, along its row and along its column.
        let l = ci, r = ci, t = cj, b = cj;
        while (blue(l - 1, cj)) l--;
        while (blue(r + 1, cj)) r++;
        while (blue(ci, t - 1)) t--;
        while (blue(ci, b + 1)) b++;
        expect(r - l).toBeGreaterThan(10);
        expect(Math.abs((l + r + 1) / 2 - sx[iv]!)).toBeLessThanOrEqual(1);
        // Vertically the lids may cut the pupil: check y only where it ends on white both ways.
        if (white(ci, t - 1) && white(ci, b + 1)) {
          checkedY++;
          expect(Math.abs((t + b + 1) / 2 - sy[iv]!)).toBeLessThanOrEqual(1);
        }
      }
    }
    expect(checkedY).toBeGreaterThanOrEqual(2);
  });
});
