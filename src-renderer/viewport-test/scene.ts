import {
  createActorModel,
  defaultFocal,
  DEFAULT_ALBEDO,
  EXPRESSION_CONTROLS,
  neutralParams,
  VERTEX_COUNT,
  type ActorModel,
  type CameraIntrinsics,
  type ExpressionControl,
  type FaceParams,
} from '../../src-shared/face/index.js';

/**
 * The one frame the viewport e2e renders both ways (software rasterizer in Node, three.js in
 * Chromium): the canonical actor with a mottled albedo (so interpolation is exercised), a
 * turned and tilted head with some expression, one eye half closed and a non-ambient light.
 * Pure data built from src-shared, so Node and the browser bundle build the same frame.
 */
export const VIEWPORT_TEST_SIZE = 256;

export const VIEWPORT_TEST_INTRINSICS: CameraIntrinsics = { focalPx: defaultFocal(640, 480), width: 640, height: 480 };

export function viewportTestActor(): ActorModel {
  const albedo = new Float32Array(3 * VERTEX_COUNT);
  for (let i = 0; i < VERTEX_COUNT; i++) {
    // Deterministic per-vertex mottling of +-0.08 around the default skin tone.
    const h = Math.sin(i * 12.9898) * 43758.5453;
    const r = h - Math.floor(h);
    for (let c = 0; c < 3; c++) albedo[3 * i + c] = DEFAULT_ALBEDO[c]! + 0.16 * (r - 0.5) * (c === 0 ? 1 : 0.8);
  }
  return createActorModel(undefined, albedo);
}

/** Lighting: warm key light from camera-left and above, some band-2 terms. RGB interleaved by coefficient. */
export const VIEWPORT_TEST_SH: readonly number[] = [
  0.8, 0.78, 0.74, // 00 ambient
  0.22, 0.2, 0.18, // 1-1 (y): from above
  0.3, 0.3, 0.28, // 10 (z): from the camera
  -0.28, -0.25, -0.2, // 11 (x): from the subject's right (image left)
  0.05, 0.04, 0.03, // 2-2 (xy)
  -0.04, -0.03, -0.03, // 2-1 (yz)
  -0.06, -0.05, -0.05, // 20
  0.05, 0.05, 0.04, // 21 (xz)
  0.03, 0.02, 0.02, // 22
];

export function viewportTestParams(sh: ArrayLike<number> = VIEWPORT_TEST_SH): FaceParams {
  const p = neutralParams();
  p.yaw = 20;
  p.pitch = -5;
  p.roll = 4;
  p.tx = 12;
  p.ty = -8;
  p.tz = -560;
  const expr: Partial<Record<ExpressionControl, number>> = { jawOpen: 0.3, mouthSmileLeft: 0.5, browInnerUp: 0.4, cheekPuff: 0.2 };
  for (const [k, v] of Object.entries(expr)) p.expression[EXPRESSION_CONTROLS.indexOf(k as ExpressionControl)] = v;
  p.gazeLeft = { yaw: 12, pitch: 4 };
  p.gazeRight = { yaw: 12, pitch: 4 };
  p.blinkRight = 0.3;
  p.sh.set(Array.from(sh));
  return p;
}

/** The same light with the band-1 terms' signs flipped: what the failure check renders. */
export function flippedSh(sh: readonly number[] = VIEWPORT_TEST_SH): number[] {
  return sh.map((v, k) => (k >= 3 && k < 12 ? -v : v));
}
