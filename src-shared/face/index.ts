/**
 * Public API of the face model (src-shared/face). Import from here, not from submodules.
 * Conventions: model frame x = subject's left, y = up, z = toward the viewer, millimetres;
 * camera space: camera at the origin looking down -z, y up; "left"/"right" = subject's sides.
 */
export * from './params.js';
export {
  VERTEX_COUNT,
  MESH_VERTEX_COUNT,
  TRIANGLE_COUNT,
  TRIANGLES,
  UVS,
  MIRROR,
  REGIONS,
  CANONICAL_POSITIONS,
  LEFT_EYE,
  RIGHT_EYE,
  LANDMARK,
  EYEBALL_RADIUS_MM,
} from './topology.js';
export type { RegionName, EyeLandmarks } from './topology.js';
export { rotationFromEuler, eulerFromRotation, rotationDistanceDeg } from './math/rotation.js';
export { expressionBasis, buildExpressionBasis } from './model/expression-basis.js';
export { createActorModel, withNeutral, DEFAULT_ALBEDO } from './model/actor.js';
export type { ActorModel } from './model/actor.js';
export { evalFace, evalLocalShape, createFaceGeometry, computeNormals, transformPoints } from './model/eval.js';
export type { FaceGeometry } from './model/eval.js';
export { project, defaultFocal } from './camera/project.js';
export { shBasis, shadeVertices } from './shading/sh.js';
export { FrameFitter, DEFAULT_FIT_OPTIONS } from './fit/frame-fit.js';
export type { FitOptions, FrameFitResult } from './fit/frame-fit.js';
export { synthesizeLandmarks, projectGeometry, LANDMARK_STRIDE } from './fit/landmarks.js';
export { estimateIdentity } from './fit/identity.js';
export type { IdentityOptions } from './fit/identity.js';
export { estimateFocal, cameraFor } from './fit/focal.js';
export type { FocalEstimate } from './fit/focal.js';
export { sampleVertexColours, solveLighting, estimateAlbedo, createVertexSamples } from './fit/photometric.js';
export type { RgbImage, VertexSamples } from './fit/photometric.js';
export { OneEuroFilter, smoothPoseTrack, DEFAULT_ONE_EURO } from './fit/one-euro.js';
export type { OneEuroOptions } from './fit/one-euro.js';
export { mulberry32, gaussian, randomParams, DEFAULT_RANDOM_PARAMS } from './fit/synthetic.js';
export type { RandomParamsOptions } from './fit/synthetic.js';
