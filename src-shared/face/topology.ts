/**
 * The face-mesh topology and the few landmark roles the model and the fit name explicitly.
 * Data is generated (data/*.ts, scripts/build-face-model.ts); this module adds meaning.
 */
import { REGIONS } from './data/topology.js';

export { VERTEX_COUNT, MESH_VERTEX_COUNT, TRIANGLE_COUNT, TRIANGLES, UVS, MIRROR, REGIONS } from './data/topology.js';
export type { RegionName } from './data/topology.js';
export { CANONICAL_POSITIONS } from './data/canonical.js';

/** Per-eye landmark roles. "left" = subject's left (image right in an unmirrored frontal view). */
export interface EyeLandmarks {
  /** Corner towards the ear and towards the nose. */
  outer: number;
  inner: number;
  /** Mid upper-lid / lower-lid points, for the aperture. */
  upperMid: number;
  lowerMid: number;
  /** Upper lid contour (corner to corner, corners excluded) and lower lid contour (corners included). */
  upper: readonly number[];
  lower: readonly number[];
  /** Iris: centre then 4 ring points. */
  iris: readonly number[];
}

export const LEFT_EYE: EyeLandmarks = {
  outer: 263,
  inner: 362,
  upperMid: 386,
  lowerMid: 374,
  upper: REGIONS.leftEyeUpper0,
  lower: REGIONS.leftEyeLower0,
  iris: REGIONS.leftIris,
};

export const RIGHT_EYE: EyeLandmarks = {
  outer: 33,
  inner: 133,
  upperMid: 159,
  lowerMid: 145,
  upper: REGIONS.rightEyeUpper0,
  lower: REGIONS.rightEyeLower0,
  iris: REGIONS.rightIris,
};

/** Named single landmarks. */
export const LANDMARK = {
  noseTip: 1,
  forehead: 10,
  chin: 152,
  upperLipInner: 13,
  lowerLipInner: 14,
  mouthCornerLeft: 291,
  mouthCornerRight: 61,
  innerMouthCornerLeft: 308,
  innerMouthCornerRight: 78,
  earLeft: 454,
  earRight: 234,
} as const;

/** Radius of the eyeball in mm (adult mean ~12 mm); the iris sits on its front. */
export const EYEBALL_RADIUS_MM = 12;
