import { summarizeControl, type ControlError } from './control-error.js';
import type { ControlFigures } from './schema.js';

export type FrameControlError = ControlError;

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The report's control figures: frames asked for, frames lost (no face re-tracked), and the summary of the rest. */
export function summarizeControls(errors: readonly ControlError[], frames: number, lost: number): ControlFigures {
  const s = summarizeControl(errors);
  return {
    frames,
    lost,
    poseDegMedian: orNull(s.poseDeg.median),
    poseDegMean: orNull(s.poseDeg.mean),
    gazeDegMedian: orNull(s.gazeDeg.median),
    gazeDegMean: orNull(s.gazeDeg.mean),
    blinkAccuracy: orNull(s.blinkAccuracy),
    expressionL1: orNull(s.expressionL1.mean),
    landmarkIod: orNull(s.landmarkIod.mean),
  };
}
