/**
 * The expression basis shared by all actors: one displacement field (mm, model frame) per
 * EXPRESSION_CONTROLS entry, built procedurally on the canonical mesh so that a coefficient
 * means the same motion on every actor (what makes transfer meaningful).
 *
 * Building blocks (all distances in mm on the canonical mesh, x = subject's left, y up, z out):
 *  - lower-face weight J(v): 1 on the lower-lip lists, 0 on the upper-lip lists, 0.5 at the
 *    four mouth corners; elsewhere a smoothstep over y from the lip line + 2 (0) to the lip
 *    line - 10 (1), the boundary rising by 0.5 mm per mm beyond |x| = 25 towards the jaw angle.
 *  - bump g(v; c, s) = exp(-|v - c|^2 / 2 s^2) around a landmark c.
 *  - side masks: L(v) = smoothstep(-6, 6, x), R(v) = 1 - L(v), so left/right controls fade
 *    across the midline and the mirror pair of each left field is its right field.
 *
 * Controls (displacement at coefficient 1):
 *  jawOpen        lower face J rotated 18 deg about the x axis through the jaw hinge (0, 8, -60)
 *                 (chin goes down and back)
 *  jawLeft/Right  lower face J translated 8 mm toward the subject's left / right
 *  jawForward     lower face J translated 6 mm forward (+z)
 *  mouthClose     lower lip lists up 6 mm, upper lip lists down 2 mm, fading with g(mouth, 22)
 *                 (closes the lips against an open jaw)
 *  mouthSmileL/R  g(corner, 12) * (up 6, out 5, back 3)
 *  mouthFrownL/R  g(corner, 12) * (down 6, out 1)
 *  mouthPucker    g(mouth centre, 16) * (x toward the midline by 35%, forward 6)
 *  mouthFunnel    g(mouth centre, 16) * (x toward the midline by 20%, forward 5) and the lips
 *                 part: upper lip lists up 3, lower lip lists down 3
 *  mouthLeft/Right g(mouth centre, 18) translated 7 mm sideways
 *  mouthStretchL/R g(corner, 14) * (out 6, down 3)
 *  mouthPressL/R  lips on that side squeezed: upper lip lists down 2.5, lower lists up 2.5, lips
 *                 pushed back 2, times g(corner, 16)
 *  mouthRollLower lower lip lists back 4, up 2;  mouthRollUpper: upper lip lists back 4, down 2
 *  mouthShrugLower lower lip and chin up 4, forward 2 (g(lower lip, 18));
 *  mouthShrugUpper upper lip up 3 (g(upper lip, 14))
 *  mouthUpperUpL/R g(upper lip at x = +-14, 10) up 5
 *  mouthLowerDownL/R g(lower lip at x = +-14, 10) down 5
 *  browInnerUp    brow area (y above the upper lid, g(brow centre, 20)) inner part (|x| < 30) up 7
 *  browDownL/R    brow area of that side down 5, toward the midline 2
 *  browOuterUpL/R brow area outer part (|x| > 20) up 7
 *  cheekPuff      g(cheek, 20) pushed 6 mm along the outward horizontal direction (x, 0, z+40)
 *  cheekSquintL/R g(cheek below the eye, 14) up 4
 *  eyeSquintL/R   lower lid (Lower0 lists 1.0, Lower1 0.6) up 2.5
 *  eyeWideL/R     upper lid (Upper0 1.0, Upper1 0.6) up 3
 *  noseSneerL/R   g(nose wing, 10) up 4, out 1
 * Iris points never move with expressions (gaze and blink have their own fields).
 */
import { EXPRESSION_COUNT, EXPRESSION_CONTROLS, type ExpressionControl } from '../params.js';
import { CANONICAL_POSITIONS, MESH_VERTEX_COUNT, REGIONS, VERTEX_COUNT, LANDMARK } from '../topology.js';

const N = VERTEX_COUNT;

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

export function buildExpressionBasis(P: Float32Array = CANONICAL_POSITIONS): Float32Array {
  const basis = new Float32Array(EXPRESSION_COUNT * N * 3);
  const px = (i: number) => P[3 * i]!;
  const py = (i: number) => P[3 * i + 1]!;
  const pz = (i: number) => P[3 * i + 2]!;
  const inSet = (lists: readonly (readonly number[])[]) => {
    const m = new Uint8Array(N);
    for (const l of lists) for (const i of l) m[i] = 1;
    return m;
  };
  const upperLip = inSet([REGIONS.lipsUpperOuter, REGIONS.lipsUpperInner, REGIONS.lipsUpperSemiOuter, REGIONS.lipsUpperSemiInner]);
  const lowerLip = inSet([REGIONS.lipsLowerOuter, REGIONS.lipsLowerInner, REGIONS.lipsLowerSemiOuter, REGIONS.lipsLowerSemiInner]);
  const corners = [LANDMARK.mouthCornerLeft, LANDMARK.mouthCornerRight, LANDMARK.innerMouthCornerLeft, LANDMARK.innerMouthCornerRight];
  for (const c of corners) {
    upperLip[c] = 0;
    lowerLip[c] = 0;
  }
  const lipLine = 0.5 * (py(LANDMARK.upperLipInner) + py(LANDMARK.lowerLipInner));
  const mouth = [0, lipLine, 0.5 * (pz(LANDMARK.upperLipInner) + pz(LANDMARK.lowerLipInner))] as const;
  const J = new Float32Array(N);
  for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
    const yb = lipLine + 0.5 * Math.max(0, Math.abs(px(i)) - 25);
    J[i] = lowerLip[i] ? 1 : upperLip[i] ? 0 : smoothstep(yb + 2, yb - 10, py(i));
  }
  for (const c of corners) J[c] = 0.5;

  const g = (i: number, cx: number, cy: number, cz: number, s: number) => Math.exp(-((px(i) - cx) ** 2 + (py(i) - cy) ** 2 + (pz(i) - cz) ** 2) / (2 * s * s));
  const gv = (i: number, v: number, s: number) => g(i, px(v), py(v), pz(v), s);
  const side = (i: number, sign: 1 | -1) => smoothstep(-6, 6, sign * px(i));

  const field = (name: ExpressionControl, fn: (i: number, d: [number, number, number]) => void) => {
    const k = EXPRESSION_CONTROLS.indexOf(name);
    const d: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
      d[0] = d[1] = d[2] = 0;
      fn(i, d);
      const o = (k * N + i) * 3;
      basis[o] = d[0];
      basis[o + 1] = d[1];
      basis[o + 2] = d[2];
    }
  };

  const hinge = [0, 8, -60] as const;
  const th = (18 * Math.PI) / 180;
  field('jawOpen', (i, d) => {
    const y = py(i) - hinge[1];
    const z = pz(i) - hinge[2];
    d[1] = J[i]! * (Math.cos(th) * y - Math.sin(th) * z - y);
    d[2] = J[i]! * (Math.sin(th) * y + Math.cos(th) * z - z);
  });
  field('jawLeft', (i, d) => void (d[0] = 8 * J[i]!));
  field('jawRight', (i, d) => void (d[0] = -8 * J[i]!));
  field('jawForward', (i, d) => void (d[2] = 6 * J[i]!));
  field('mouthClose', (i, d) => {
    const w = g(i, mouth[0], mouth[1], mouth[2], 22);
    d[1] = (lowerLip[i] ? 6 : 0) * w - (upperLip[i] ? 2 : 0) * w;
  });

  for (const [sfx, sign, corner] of [
    ['Left', 1, LANDMARK.mouthCornerLeft],
    ['Right', -1, LANDMARK.mouthCornerRight],
  ] as const) {
    const up = (REGIONS.lipsUpperOuter as readonly number[]).reduce((best, v) => (Math.abs(sign * px(v) - 14) < Math.abs(sign * px(best) - 14) && px(v) * sign > 0 ? v : best), 0);
    const lo = (REGIONS.lipsLowerOuter as readonly number[]).reduce((best, v) => (Math.abs(sign * px(v) - 14) < Math.abs(sign * px(best) - 14) && px(v) * sign > 0 ? v : best), 17);
    field(`mouthSmile${sfx}`, (i, d) => {
      const w = gv(i, corner, 12);
      d[0] = sign * 5 * w;
      d[1] = 6 * w;
      d[2] = -3 * w;
    });
    field(`mouthFrown${sfx}`, (i, d) => {
      const w = gv(i, corner, 12);
      d[0] = sign * 1 * w;
      d[1] = -6 * w;
    });
    field(`mouthStretch${sfx}`, (i, d) => {
      const w = gv(i, corner, 14);
      d[0] = sign * 6 * w;
      d[1] = -3 * w;
    });
    field(`mouthPress${sfx}`, (i, d) => {
      const w = gv(i, corner, 16);
      d[1] = (upperLip[i] ? -2.5 : 0) * w + (lowerLip[i] ? 2.5 : 0) * w;
      d[2] = (upperLip[i] || lowerLip[i] ? -2 : 0) * w;
    });
    field(`mouthUpperUp${sfx}`, (i, d) => void (d[1] = 5 * gv(i, up, 10)));
    field(`mouthLowerDown${sfx}`, (i, d) => void (d[1] = -5 * gv(i, lo, 10)));
  }
  field('mouthPucker', (i, d) => {
    const w = g(i, mouth[0], mouth[1], mouth[2], 16);
    d[0] = -0.35 * px(i) * w;
    d[2] = 6 * w;
  });
  field('mouthFunnel', (i, d) => {
    const w = g(i, mouth[0], mouth[1], mouth[2], 16);
    d[0] = -0.2 * px(i) * w;
    d[1] = (upperLip[i] ? 3 : 0) * w - (lowerLip[i] ? 3 : 0) * w;
    d[2] = 5 * w;
  });
  field('mouthLeft', (i, d) => void (d[0] = 7 * g(i, mouth[0], mouth[1], mouth[2], 18)));
  field('mouthRight', (i, d) => void (d[0] = -7 * g(i, mouth[0], mouth[1], mouth[2], 18)));
  field('mouthRollLower', (i, d) => {
    if (!lowerLip[i]) return;
    d[1] = 2;
    d[2] = -4;
  });
  field('mouthRollUpper', (i, d) => {
    if (!upperLip[i]) return;
    d[1] = -2;
    d[2] = -4;
  });
  field('mouthShrugLower', (i, d) => {
    const w = gv(i, 17, 18) * (upperLip[i] ? 0 : 1);
    d[1] = 4 * w;
    d[2] = 2 * w;
  });
  field('mouthShrugUpper', (i, d) => void (d[1] = 3 * gv(i, 0, 14) * (lowerLip[i] ? 0 : 1)));

  // Brows: the area above the upper lid, around the brow centroid of each side.
  const lidTop = Math.max(...(REGIONS.leftEyeUpper0 as readonly number[]).map(py));
  const browC = (list: readonly number[]) => [0, 1, 2].map((k) => list.reduce((s, v) => s + P[3 * v + k]!, 0) / list.length) as [number, number, number];
  const browL = browC(REGIONS.leftEyebrowUpper);
  const browR = browC(REGIONS.rightEyebrowUpper);
  const browArea = (i: number) => {
    const above = smoothstep(lidTop + 2, lidTop + 8, py(i));
    return above * Math.max(g(i, browL[0], browL[1], browL[2], 20), g(i, browR[0], browR[1], browR[2], 20));
  };
  field('browInnerUp', (i, d) => void (d[1] = 7 * browArea(i) * smoothstep(30, 12, Math.abs(px(i)))));
  for (const [sfx, sign] of [
    ['Left', 1],
    ['Right', -1],
  ] as const) {
    field(`browDown${sfx}`, (i, d) => {
      const w = browArea(i) * side(i, sign);
      d[0] = -sign * 2 * w;
      d[1] = -5 * w;
    });
    field(`browOuterUp${sfx}`, (i, d) => void (d[1] = 7 * browArea(i) * side(i, sign) * smoothstep(20, 42, Math.abs(px(i)))));
  }

  const cheekPt = (sign: 1 | -1) => (sign > 0 ? 425 : 205);
  field('cheekPuff', (i, d) => {
    const w = Math.max(gv(i, cheekPt(1), 20), gv(i, cheekPt(-1), 20));
    const ox = px(i);
    const oz = pz(i) + 40;
    const n = Math.hypot(ox, oz) || 1;
    d[0] = (6 * w * ox) / n;
    d[2] = (6 * w * oz) / n;
  });
  const lidSet = (a: readonly number[], b: readonly number[]) => {
    const m = new Float32Array(N);
    for (const v of b) m[v] = 0.6;
    for (const v of a) m[v] = 1;
    return m;
  };
  for (const [sfx, sign] of [
    ['Left', 1],
    ['Right', -1],
  ] as const) {
    const L = sign > 0;
    const under = L ? 346 : 117;
    field(`cheekSquint${sfx}`, (i, d) => void (d[1] = 4 * gv(i, under, 14)));
    const lower = L ? lidSet(REGIONS.leftEyeLower0, REGIONS.leftEyeLower1) : lidSet(REGIONS.rightEyeLower0, REGIONS.rightEyeLower1);
    const upper = L ? lidSet(REGIONS.leftEyeUpper0, REGIONS.leftEyeUpper1) : lidSet(REGIONS.rightEyeUpper0, REGIONS.rightEyeUpper1);
    // Corners belong to both lids in the lists; they should not move with the lids.
    const [c0, c1] = L ? [263, 362] : [33, 133];
    lower[c0] = lower[c1] = 0;
    upper[c0] = upper[c1] = 0;
    field(`eyeSquint${sfx}`, (i, d) => void (d[1] = 2.5 * lower[i]!));
    field(`eyeWide${sfx}`, (i, d) => void (d[1] = 3 * upper[i]!));
    const wing = L ? 327 : 98;
    field(`noseSneer${sfx}`, (i, d) => {
      const w = gv(i, wing, 10);
      d[0] = sign * 1 * w;
      d[1] = 4 * w;
    });
  }
  return basis;
}

/** The shared basis, built once on first use (pure data; ~170 KB). */
let cached: Float32Array | null = null;
export function expressionBasis(): Float32Array {
  if (!cached) cached = buildExpressionBasis();
  return cached;
}
