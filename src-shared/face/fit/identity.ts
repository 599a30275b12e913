/**
 * Identity: the actor's neutral shape as a robust neutral over the first frames, then frozen.
 * Each frame is fitted (pose + expression) against the current model; the detector's 3D mesh
 * is lifted to camera space (x, y back-projected at depth tz + relative z scaled by -tz / f),
 * taken back to the model frame with the fitted pose, the fitted expression and blink
 * displacements are removed, and the per-vertex median over frames is the neutral shape.
 * Two passes: the second refits the frames against the first pass's neutral.
 */
import { EXPRESSION_COUNT, neutralParams, type CameraIntrinsics } from '../params.js';
import { MESH_VERTEX_COUNT, VERTEX_COUNT } from '../topology.js';
import { createActorModel, type ActorModel } from '../model/actor.js';
import { expressionBasis } from '../model/expression-basis.js';
import { rotationFromEuler } from '../math/rotation.js';
import { medianInPlace } from '../math/linalg.js';
import { FrameFitter, type FitOptions } from './frame-fit.js';

export interface IdentityOptions {
  passes: number;
  fit: Partial<FitOptions>;
}

export function estimateIdentity(frames: readonly ArrayLike<number>[], camera: CameraIntrinsics, start: ActorModel = createActorModel(), opts: Partial<IdentityOptions> = {}): ActorModel {
  const passes = opts.passes ?? 2;
  if (frames.length === 0) return start;
  let actor = start;
  const B = expressionBasis();
  const n3 = VERTEX_COUNT * 3;
  const samples = new Float64Array(frames.length * n3);
  const col = new Float64Array(frames.length);
  const R = new Float64Array(9);
  const p = neutralParams();
  const f = camera.focalPx;
  const cx = camera.width / 2;
  const cy = camera.height / 2;
  for (let pass = 0; pass < passes; pass++) {
    const fitter = new FrameFitter(actor, camera, opts.fit);
    frames.forEach((l, fi) => {
      fitter.fit(l, p, null);
      rotationFromEuler(p.yaw, p.pitch, p.roll, R);
      let zMean = 0;
      for (let i = 0; i < MESH_VERTEX_COUNT; i++) zMean += l[3 * i + 2]!;
      zMean /= MESH_VERTEX_COUNT;
      // Depth of the landmark centroid: the model centroid is the origin, so tz plus R's z of the
      // neutral mean (zero by construction up to identity drift).
      const zc = p.tz;
      const mmPerPx = -zc / f;
      const o = fi * n3;
      for (let i = 0; i < VERTEX_COUNT; i++) {
        const Z = zc - (l[3 * i + 2]! - zMean) * mmPerPx;
        const X = ((l[3 * i]! - cx) * -Z) / f - p.tx;
        const Y = (-(l[3 * i + 1]! - cy) * -Z) / f - p.ty;
        const Zr = Z - p.tz;
        for (let c = 0; c < 3; c++) {
          let v = R[c]! * X + R[3 + c]! * Y + R[6 + c]! * Zr;
          for (let k = 0; k < EXPRESSION_COUNT; k++) v -= p.expression[k]! * B[k * n3 + 3 * i + c]!;
          v -= p.blinkLeft * actor.blinkLeft[3 * i + c]! + p.blinkRight * actor.blinkRight[3 * i + c]!;
          samples[o + 3 * i + c] = v;
        }
      }
    });
    const neutral = new Float32Array(n3);
    for (let j = 0; j < n3; j++) {
      for (let fi = 0; fi < frames.length; fi++) col[fi] = samples[fi * n3 + j]!;
      neutral[j] = medianInPlace(col, frames.length);
    }
    actor = createActorModel(neutral, actor.albedo);
  }
  return actor;
}
