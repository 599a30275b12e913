/** Evaluation reports for the Quality section's unit tests (not used by the app). */
import { EvaluationReport, type ImageFigures } from '../../../src-shared/evaluation/schema.js';

export const fig = (o: Partial<ImageFigures> = {}): ImageFigures => ({ psnr: 20, psnrMask: 18, ssim: 0.7, ssimMask: 0.6, sharpness: 1, flicker: 1, identity: 0.5, identityFrames: 4, ...o });

export function report(o: Partial<EvaluationReport> = {}): EvaluationReport {
  return EvaluationReport.parse({
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    checkpoint: { snapshot: null, step: 400, profile: 'tiny', resolution: 16 },
    frames: { selection: 'held-out', evaluated: 7, skipped: 1, controlFrames: 0, includesTrainingFrames: false },
    model: fig({ psnr: 23.1, psnrMask: 23.14, ssim: 0.8, ssimMask: 0.75, sharpness: 0.8, flicker: 1.3, identity: null, identityFrames: 0 }),
    baselines: {
      meanCrop: fig({ psnr: 19, psnrMask: 17, ssim: 0.6, ssimMask: 0.5, sharpness: 0.3, flicker: 0, identity: null }),
      nearestParams: fig({ psnr: 22, psnrMask: 23.9, ssim: 0.7, ssimMask: 0.7, sharpness: 1.1, flicker: 2.5, identity: null }),
      oracleRetrieval: fig({ psnr: 24, psnrMask: 23.5, ssim: 0.85, ssimMask: 0.8, sharpness: 0.95, flicker: 3, identity: null }),
    },
    control: null,
    controlRealReference: null,
    identityRealReference: null,
    edits: null,
    strip: null,
    seconds: 3.2,
    notes: [],
    ...o,
  });
}
