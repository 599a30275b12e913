import { describe, expect, it } from 'vitest';
import {
  CANONICAL_POSITIONS, EXPRESSION_CONTROLS, EXPRESSION_COUNT, LEFT_EYE, MESH_VERTEX_COUNT, MIRROR, REGIONS, RIGHT_EYE, TRIANGLES, UVS, VERTEX_COUNT,
  createActorModel, createFaceGeometry, evalFace, expressionBasis, neutralParams, project, shadeVertices,
} from '../index.js';

const cam = { focalPx: 432, width: 360, height: 288 };

describe('topology', () => {
  it('has 478 vertices, a valid triangulation over the 468 surface vertices and UVs in 0..1', () => {
    expect(CANONICAL_POSITIONS.length).toBe(VERTEX_COUNT * 3);
    expect(TRIANGLES.length % 3).toBe(0);
    const used = new Uint8Array(MESH_VERTEX_COUNT);
    for (const v of TRIANGLES) { expect(v).toBeLessThan(MESH_VERTEX_COUNT); used[v] = 1; }
    expect(used.reduce((a, b) => a + b, 0)).toBe(MESH_VERTEX_COUNT);
    for (const u of UVS) { expect(u).toBeGreaterThanOrEqual(0); expect(u).toBeLessThanOrEqual(1); }
  });
  it('canonical mesh is mirror symmetric, the left eye at +x, and faces +z', () => {
    for (let i = 0; i < VERTEX_COUNT; i++) {
      const j = MIRROR[i]!;
      expect(CANONICAL_POSITIONS[3 * i]!).toBeCloseTo(-CANONICAL_POSITIONS[3 * j]!, 2);
      expect(CANONICAL_POSITIONS[3 * i + 1]!).toBeCloseTo(CANONICAL_POSITIONS[3 * j + 1]!, 2);
    }
    expect(CANONICAL_POSITIONS[3 * LEFT_EYE.iris[0]!]!).toBeGreaterThan(20);
    expect(CANONICAL_POSITIONS[3 * RIGHT_EYE.iris[0]!]!).toBeLessThan(-20);
    const g = createFaceGeometry();
    evalFace(createActorModel(), neutralParams(), g);
    let front = 0;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) if (g.normals[3 * i + 2]! > 0) front++;
    expect(front / MESH_VERTEX_COUNT).toBeGreaterThan(0.9);
  });
});

describe('evalFace', () => {
  const actor = createActorModel();
  it('places the neutral at the translation and projects it to the image centre', () => {
    const g = createFaceGeometry();
    const p = neutralParams();
    evalFace(actor, p, g);
    const uv = new Float32Array(VERTEX_COUNT * 2);
    project(cam, g.positions, uv);
    let mu = 0, mv = 0;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) { mu += uv[2 * i]!; mv += uv[2 * i + 1]!; }
    expect(mu / MESH_VERTEX_COUNT).toBeCloseTo(180, 0);
    expect(mv / MESH_VERTEX_COUNT).toBeCloseTo(144, 0);
    // Subject's left eye appears on the image right; forehead above the chin.
    expect(uv[2 * LEFT_EYE.outer]!).toBeGreaterThan(uv[2 * RIGHT_EYE.outer]!);
    expect(uv[2 * 10 + 1]!).toBeLessThan(uv[2 * 152 + 1]!);
  });
  it('positive yaw turns the face toward the subject\'s left (nose moves image right)', () => {
    const g = createFaceGeometry();
    const p = neutralParams();
    p.yaw = 30;
    evalFace(actor, p, g);
    expect(g.positions[3 * 1]!).toBeGreaterThan(10);
  });
  it('every expression control moves some vertices by a few mm, and mirrored controls mirror', () => {
    const B = expressionBasis();
    const n3 = VERTEX_COUNT * 3;
    for (let k = 0; k < EXPRESSION_COUNT; k++) {
      let max = 0;
      for (let j = 0; j < n3; j++) max = Math.max(max, Math.abs(B[k * n3 + j]!));
      expect(max, EXPRESSION_CONTROLS[k]).toBeGreaterThan(1.5);
      expect(max, EXPRESSION_CONTROLS[k]).toBeLessThan(40);
    }
    const kl = EXPRESSION_CONTROLS.indexOf('mouthSmileLeft');
    const kr = EXPRESSION_CONTROLS.indexOf('mouthSmileRight');
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
      const j = MIRROR[i]!;
      expect(B[kl * n3 + 3 * i]!).toBeCloseTo(-B[kr * n3 + 3 * j]!, 3);
      expect(B[kl * n3 + 3 * i + 1]!).toBeCloseTo(B[kr * n3 + 3 * j + 1]!, 3);
    }
  });
  it('jawOpen opens the lips and smile raises the mouth corner', () => {
    const g = createFaceGeometry();
    const p = neutralParams();
    p.expression[EXPRESSION_CONTROLS.indexOf('jawOpen')] = 1;
    evalFace(actor, p, g);
    expect(g.positions[3 * 13 + 1]! - g.positions[3 * 14 + 1]!).toBeGreaterThan(15);
    p.expression.fill(0);
    p.expression[EXPRESSION_CONTROLS.indexOf('mouthSmileLeft')] = 1;
    evalFace(actor, p, g);
    expect(g.local[3 * 291 + 1]! - actor.neutral[3 * 291 + 1]!).toBeGreaterThan(4);
    expect(Math.abs(g.local[3 * 61 + 1]! - actor.neutral[3 * 61 + 1]!)).toBeLessThan(0.5);
  });
  it('blink closes the lids onto the lower lid; gaze rotates the iris about the eyeball centre', () => {
    const g = createFaceGeometry();
    const p = neutralParams();
    const gap = (pos: Float32Array) => pos[3 * LEFT_EYE.upperMid + 1]! - pos[3 * LEFT_EYE.lowerMid + 1]!;
    expect(gap(actor.neutral)).toBeGreaterThan(4);
    p.blinkLeft = 1;
    evalFace(actor, p, g);
    expect(Math.abs(gap(g.local))).toBeLessThan(0.5);
    expect(gap(g.local.subarray(0)) ).toBeLessThan(gap(actor.neutral));
    // The right eye stays open.
    expect(g.local[3 * RIGHT_EYE.upperMid + 1]!).toBeCloseTo(actor.neutral[3 * RIGHT_EYE.upperMid + 1]!, 4);
    p.blinkLeft = 0;
    p.gazeLeft = { yaw: 20, pitch: 10 };
    evalFace(actor, p, g);
    const c = LEFT_EYE.iris[0]!;
    const dx = g.local[3 * c]! - actor.eyeCentreLeft[0]!;
    const dy = g.local[3 * c + 1]! - actor.eyeCentreLeft[1]!;
    const dz = g.local[3 * c + 2]! - actor.eyeCentreLeft[2]!;
    expect(Math.hypot(dx, dy, dz)).toBeCloseTo(12, 3);
    expect((Math.atan2(dx, dz) * 180) / Math.PI).toBeCloseTo(20, 3);
    expect((Math.asin(dy / 12) * 180) / Math.PI).toBeCloseTo(10, 3);
  });
});

describe('SH shading', () => {
  it('c0 = 1 is unit ambient; a band-1 z light brightens camera-facing normals', () => {
    const normals = Float32Array.of(0, 0, 1, 1, 0, 0);
    const albedo = Float32Array.of(0.5, 0.4, 0.3, 0.5, 0.4, 0.3);
    const out = new Float32Array(6);
    const sh = neutralParams().sh;
    shadeVertices(normals, albedo, sh, out);
    expect(Array.from(out).map((v) => +v.toFixed(5))).toEqual([0.5, 0.4, 0.3, 0.5, 0.4, 0.3]);
    sh[6] = sh[7] = sh[8] = 0.2; // coefficient 2 (Y_10 ~ z)
    shadeVertices(normals, albedo, sh, out);
    expect(out[0]!).toBeGreaterThan(0.5);
    expect(out[3]!).toBeCloseTo(0.5, 5);
  });
});

describe('regions', () => {
  it('lip lists run corner to corner and iris lists have 5 points', () => {
    expect(REGIONS.lipsUpperOuter[0]).toBe(61);
    expect(REGIONS.lipsUpperOuter[REGIONS.lipsUpperOuter.length - 1]).toBe(291);
    expect(REGIONS.leftIris.length).toBe(5);
    expect(REGIONS.rightIris.length).toBe(5);
  });
});
