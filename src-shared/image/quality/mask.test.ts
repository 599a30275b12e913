import { describe, expect, it } from 'vitest';
import { createActorModel, createFaceGeometry, evalFace, neutralParams } from '../../face/index.js';
import { CHANNELS_PER_FRAME, ConditioningRenderer } from '../../conditioning/images/renderer.js';
import { faceRenderTopology, frameGeometryFromFace } from '../../conditioning/faceMesh.js';
import { ellipsoidHead } from '../../conditioning/synthetic/ellipsoidHead.js';
import { centredCamera, syntheticFrame } from '../../conditioning/synthetic/scene.js';
import { buildTopology } from '../../conditioning/render-topology.js';
import { erodeMask, maskArea, maskFromConditioning } from './mask.js';

const S = 64;

describe('maskFromConditioning', () => {
  const topo = buildTopology(ellipsoidHead());
  const renderer = new ConditioningRenderer(topo, S, S);
  const cond = renderer.render(syntheticFrame(topo, { yaw: 15 }), centredCamera(S, S)).slice();
  const covered = Uint8Array.from(renderer.vis.tri.subarray(0, S * S), (t) => (t >= 0 ? 1 : 0));

  it('is exactly the pixels the renderer covered: non-empty and smaller than the image', () => {
    const mask = maskFromConditioning(cond, S);
    const area = maskArea(mask);
    expect(area).toBeGreaterThan(0.1 * S * S);
    expect(area).toBeLessThan(0.9 * S * S);
    expect(Array.from(mask)).toEqual(Array.from(covered));
    // Corners are background for a centred head.
    expect(mask[0]).toBe(0);
    expect(mask[S * S - 1]).toBe(0);
  });

  it('reads the newest frame of a space-time window', () => {
    const K = 11, C = K * CHANNELS_PER_FRAME;
    const win = new Float32Array(S * S * C).fill(-1); // older frames: empty renders
    for (let p = 0; p < S * S; p++) win.set(cond.subarray(p * CHANNELS_PER_FRAME, (p + 1) * CHANNELS_PER_FRAME), p * C + C - CHANNELS_PER_FRAME);
    expect(Array.from(maskFromConditioning(win, S, C))).toEqual(Array.from(covered));
    // The face only in the oldest slot: the frame itself shows nothing.
    const old = new Float32Array(S * S * C).fill(-1);
    for (let p = 0; p < S * S; p++) old.set(cond.subarray(p * CHANNELS_PER_FRAME, (p + 1) * CHANNELS_PER_FRAME), p * C);
    expect(maskArea(maskFromConditioning(old, S, C))).toBe(0);
  });

  it('works on the face-model mesh render too', () => {
    const ftopo = faceRenderTopology();
    const actor = createActorModel();
    const geom = createFaceGeometry();
    const p = neutralParams();
    evalFace(actor, p, geom);
    const fr = new ConditioningRenderer(ftopo, S, S);
    const img = fr.render(frameGeometryFromFace(actor, geom, p), centredCamera(S, S, 3.5 * S));
    const area = maskArea(maskFromConditioning(img, S));
    expect(area).toBeGreaterThan(0.05 * S * S);
    expect(area).toBeLessThan(S * S);
    expect(area).toBe(fr.vis.tri.subarray(0, S * S).reduce((n, t) => n + (t >= 0 ? 1 : 0), 0));
  });

  it('rejects buffers that do not fit the layout', () => {
    expect(() => maskFromConditioning(cond, S + 1)).toThrow(RangeError);
    expect(() => maskFromConditioning(cond, S, 10)).toThrow(RangeError);
  });
});

describe('erodeMask', () => {
  it('shrinks a square by the radius on every side and treats the border as outside', () => {
    const W = 20, H = 16;
    const m = new Float32Array(W * H);
    for (let y = 3; y < 12; y++) for (let x = 4; x < 15; x++) m[y * W + x] = 1;
    const e = erodeMask(m, W, H, 2);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      expect(e[y * W + x]).toBe(y >= 5 && y < 10 && x >= 6 && x < 13 ? 1 : 0);
    }
    expect(Array.from(erodeMask(m, W, H, 0))).toEqual(Array.from(m));
    const full = new Uint8Array(W * H).fill(1);
    const ef = erodeMask(full, W, H, 1);
    expect(maskArea(ef)).toBe((W - 2) * (H - 2));
    expect(ef[0]).toBe(0);
  });

  it('thresholds soft masks at 0.5', () => {
    const m = new Float32Array(9).fill(0.6);
    expect(Array.from(erodeMask(m, 3, 3, 1))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    m[0] = 0.5;
    expect(erodeMask(m, 3, 3, 1)[4]).toBe(0);
  });
});
