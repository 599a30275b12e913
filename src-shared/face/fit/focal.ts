/**
 * Focal length, once per video: golden-section search over f in [0.6, 3] x max(W, H) of the
 * mean reprojection error of cold-start fits on a few frames. Perspective is only weakly
 * observable from a face (about 10% depth variation at normal distances), so the search is
 * reported with its residual curve and callers may keep defaultFocal when it is flat.
 */
import type { CameraIntrinsics, FaceParams } from '../params.js';
import { neutralParams } from '../params.js';
import type { ActorModel } from '../model/actor.js';
import { defaultFocal } from '../camera/project.js';
import { FrameFitter } from './frame-fit.js';

export interface FocalEstimate {
  focalPx: number;
  /** Mean rms px at the estimate and at the default focal. */
  errorAtEstimate: number;
  errorAtDefault: number;
}

export function estimateFocal(frames: readonly ArrayLike<number>[], actor: ActorModel, width: number, height: number, iterations = 14): FocalEstimate {
  const m = Math.max(width, height);
  const p: FaceParams = neutralParams();
  const cost = (focalPx: number) => {
    const fitter = new FrameFitter(actor, { focalPx, width, height });
    let s = 0;
    for (const l of frames) s += fitter.fit(l, p, null).rmsPx;
    return s / Math.max(frames.length, 1);
  };
  // Search in log f: errors scale with relative, not absolute, focal changes.
  let a = Math.log(0.6 * m);
  let b = Math.log(3 * m);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = cost(Math.exp(c));
  let fd = cost(Math.exp(d));
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = cost(Math.exp(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = cost(Math.exp(d));
    }
  }
  const focalPx = Math.exp((a + b) / 2);
  return { focalPx, errorAtEstimate: cost(focalPx), errorAtDefault: cost(defaultFocal(width, height)) };
}

export function cameraFor(width: number, height: number, focalPx = defaultFocal(width, height)): CameraIntrinsics {
  return { focalPx, width, height };
}
