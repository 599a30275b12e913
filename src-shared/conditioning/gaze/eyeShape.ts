import type { EyeRig } from './eyeRig.js';
import { irisPupilLocal } from './irisPupil.js';

/**
 * The analytic eye drawn in the gaze image, in eye-local coordinates (x towards the
 * subject's left, y up, canonical units). Ratios are of the eye's half width: a human eye
 * opening is ~30 mm wide, the eyeball radius ~12 mm, the iris radius ~6 mm.
 */
export const EYEBALL_RADIUS_RATIO = 0.8;
export const PUPIL_RADIUS_RATIO = 0.3;
/** Where the lids meet when fully closed, as a fraction of the open half aperture below centre. */
export const CLOSE_AT = -0.6;
/**
 * On a mesh whose own lids close with blink (the face model: its blink fields move the upper
 * lid onto the lower lid, linearly in blink), the mesh alone already makes the opening
 * (1 - blink) of the open one, and the analytic lid only removes a residual sliver: it stays
 * open below this blink and closes fully between it and 1.
 */
export const MESH_LID_RESIDUAL_FROM = 0.95;

/**
 * The blink the analytic lid applies. Without mesh lids it is the blink itself; with mesh lids
 * (which already give an opening of 1 - blink) it is 0 up to MESH_LID_RESIDUAL_FROM, then
 * ramps to 1 at blink 1, so the visible opening stays monotone and is exactly zero at 1.
 */
export function analyticBlink(blink: number, meshLids: boolean): number {
  const b = blink < 0 ? 0 : blink > 1 ? 1 : blink;
  if (!meshLids) return b;
  return b <= MESH_LID_RESIDUAL_FROM ? 0 : (b - MESH_LID_RESIDUAL_FROM) / (1 - MESH_LID_RESIDUAL_FROM);
}

/** Per-eye state for one frame, precomputed once so the per-pixel test is a few multiplies. */
export interface EyeState {
  halfWidth: number;
  halfHeight: number;
  upperScale: number;
  lowerScale: number;
  pupilX: number;
  pupilY: number;
  pupilR2: number;
}

/**
 * The eye for one frame. The pupil turns on the eyeball from its rest position:
 * offset = radius * (sin(yaw) cos(pitch), sin(pitch)), positive yaw towards the subject's
 * left, positive pitch up (FaceParams' gaze convention). meshLids: the mesh's own lids close
 * with blink (EyeRig.meshLids), so the analytic lid only closes the residual (analyticBlink).
 */
export function makeEyeState(
  halfWidth: number,
  halfHeight: number,
  rest: readonly [number, number],
  eyeballRadius: number,
  gazeYawDeg: number,
  gazePitchDeg: number,
  blink: number,
  out: EyeState,
  meshLids = false,
): EyeState {
  const b = analyticBlink(blink, meshLids);
  const d = Math.PI / 180;
  out.halfWidth = halfWidth;
  out.halfHeight = halfHeight;
  // Upper lid travels from +a down to CLOSE_AT*a, the lower lid from -a up to it.
  out.upperScale = 1 - b * (1 - CLOSE_AT);
  out.lowerScale = -1 + b * (1 + CLOSE_AT);
  out.pupilX = rest[0] + eyeballRadius * Math.sin(gazeYawDeg * d) * Math.cos(gazePitchDeg * d);
  out.pupilY = rest[1] + eyeballRadius * Math.sin(gazePitchDeg * d);
  const r = PUPIL_RADIUS_RATIO * halfWidth;
  out.pupilR2 = r * r;
  return out;
}

export function emptyEyeState(): EyeState {
  return { halfWidth: 1, halfHeight: 1, upperScale: 1, lowerScale: -1, pupilX: 0, pupilY: 0, pupilR2: 0 };
}

/** 0 = not visible (lid or outside the opening), 1 = eye white, 2 = pupil. */
export function eyeClass(s: EyeState, x: number, y: number): number {
  const u = x / s.halfWidth;
  const q = 1 - u * u;
  if (q <= 0) return 0;
  const a = s.halfHeight * Math.sqrt(q);
  if (!(y > s.lowerScale * a && y < s.upperScale * a)) return 0;
  const dx = x - s.pupilX, dy = y - s.pupilY;
  return dx * dx + dy * dy <= s.pupilR2 ? 2 : 1;
}

/** What eyeStatesForFrame needs of a frame (FrameGeometry has it). */
export interface EyeFrameInput {
  positions: ArrayLike<number>;
  gazeLeft: { yaw: number; pitch: number };
  gazeRight: { yaw: number; pitch: number };
  blinkLeft: number;
  blinkRight: number;
}

const pupilScratch: [number, number] = [0, 0];

/**
 * Both eyes' states for a frame: the lid from blink (analytic closing only of what the mesh
 * lids leave, see EyeRig.meshLids), the pupil at the posed iris centre vertex where the rig
 * has one (irisPupilLocal), else turned from its rest position by the gaze angles. The one
 * place the software renderer and the three.js viewport get their eye uniforms from.
 */
export function eyeStatesForFrame(rig: EyeRig, indices: Uint32Array, frame: EyeFrameInput, out: [EyeState, EyeState]): [EyeState, EyeState] {
  for (let e = 0; e < 2; e++) {
    const gaze = e === 0 ? frame.gazeLeft : frame.gazeRight;
    const blink = e === 0 ? frame.blinkLeft : frame.blinkRight;
    if (irisPupilLocal(rig, indices, frame.positions, e, pupilScratch)) {
      makeEyeState(rig.halfWidth[e]!, rig.halfHeight[e]!, pupilScratch, rig.eyeballRadius[e]!, 0, 0, blink, out[e]!, rig.meshLids);
    } else {
      makeEyeState(rig.halfWidth[e]!, rig.halfHeight[e]!, rig.restPupil[e]!, rig.eyeballRadius[e]!, gaze.yaw, gaze.pitch, blink, out[e]!, rig.meshLids);
    }
  }
  return out;
}
