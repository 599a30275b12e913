/**
 * Synthetic tracking accuracy: the face model rendered with known random parameters (yaw within
 * +-35 deg, pitch +-20, roll +-10, 3 active expressions, gaze +-20, blinks), landmarks with
 * Gaussian noise, cold-start fit per frame. Errors against ground truth, at franck.mp4's frame
 * size and the default focal length. The bench runner writes the returned record as JSON.
 */
import { defaultFocal } from '../src-shared/face/index.js';
import { evaluateSyntheticTracking } from '../src-shared/face/fit/synthetic-eval.js';

export async function run(): Promise<Record<string, unknown>> {
  const width = 360;
  const height = 288;
  const camera = { focalPx: defaultFocal(width, height), width, height };
  const results: Record<string, unknown> = { camera, frames: 50 };
  for (const noisePx of [0, 0.7, 1.5]) {
    const t0 = performance.now();
    const r = evaluateSyntheticTracking({ frames: 50, seed: 2024, noisePx, camera });
    results[`noise_${noisePx}px`] = { ...r, fitMsPerFrame: (performance.now() - t0) / 50 };
  }
  return results;
}
