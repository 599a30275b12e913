/**
 * The analytic eye drawn in the gaze image, in eye-local coordinates (x towards the
 * subject's left, y up, canonical units). Ratios are of the eye's half width: a human eye
 * opening is ~30 mm wide, the eyeball radius ~12 mm, the iris radius ~6 mm.
 */
export const EYEBALL_RADIUS_RATIO = 0.8;
export const PUPIL_RADIUS_RATIO = 0.3;
/** Where the lids meet when fully closed, as a fraction of the open half aperture below centre. */
export const CLOSE_AT = -0.6;

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
 * left, positive pitch up (FaceParams' gaze convention).
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
): EyeState {
  const b = blink < 0 ? 0 : blink > 1 ? 1 : blink;
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
