/**
 * Detector landmark layout shared by the tracker and the fit: VERTEX_COUNT x 3 floats per frame,
 * (x px, y px, z) in full-frame image coordinates, z = MediaPipe's relative depth (pixel-like
 * units, smaller = closer to the camera). Also the synthetic generator used as ground truth.
 */
import type { CameraIntrinsics, FaceParams } from '../params.js';
import { MESH_VERTEX_COUNT, VERTEX_COUNT } from '../topology.js';
import type { ActorModel } from '../model/actor.js';
import { evalFace, type FaceGeometry } from '../model/eval.js';
import { project } from '../camera/project.js';

export const LANDMARK_STRIDE = 3;

/** What an ideal detector would report for these parameters (noise is the caller's business). */
export function synthesizeLandmarks(actor: ActorModel, params: FaceParams, camera: CameraIntrinsics, geometry: FaceGeometry, out: Float32Array): Float32Array {
  evalFace(actor, params, geometry);
  const P = geometry.positions;
  let zMean = 0;
  for (let i = 0; i < MESH_VERTEX_COUNT; i++) zMean += P[3 * i + 2]!;
  zMean /= MESH_VERTEX_COUNT;
  const s = camera.focalPx / -zMean;
  const cx = camera.width / 2;
  const cy = camera.height / 2;
  for (let i = 0; i < VERTEX_COUNT; i++) {
    const X = P[3 * i]!;
    const Y = P[3 * i + 1]!;
    const Z = P[3 * i + 2]!;
    out[3 * i] = cx + (camera.focalPx * X) / -Z;
    out[3 * i + 1] = cy - (camera.focalPx * Y) / -Z;
    out[3 * i + 2] = -(Z - zMean) * s;
  }
  return out;
}

/** Projected 2D vertices of the model, for error measures and overlays. */
export function projectGeometry(camera: CameraIntrinsics, geometry: FaceGeometry, out2d: Float32Array): void {
  project(camera, geometry.positions, out2d, VERTEX_COUNT);
}
