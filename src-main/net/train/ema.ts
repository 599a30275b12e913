/**
 * Exponential moving average of the generator's weights (profile option emaDecay > 0), kept
 * on the host beside the optimizer and updated after every optimizer step: the averaged
 * weights render smoother, less step-to-step-noisy frames than the raw ones. Saved in the
 * checkpoint as ema.<name>, used by GanTrainer.predict and the predict-only generator.
 */

/**
 * The decay used by update number t (1-based): min(decay, (1 + t) / (10 + t)), TensorFlow's
 * ExponentialMovingAverage(num_updates) rule, so early averages are not dominated by the
 * random initialisation.
 */
export function emaDecayAt(decay: number, t: number): number {
  return Math.min(decay, (1 + t) / (10 + t));
}

/** ema <- d * ema + (1 - d) * w, in place. With d = 0 the average is w exactly. */
export function emaUpdate(ema: Float32Array, w: Float32Array, d: number): void {
  if (ema.length !== w.length) throw new Error(`ema has ${ema.length} values, weights ${w.length}`);
  if (d === 0) {
    ema.set(w); // exactly w (0 * ema + w would turn -0 into +0)
    return;
  }
  const k = 1 - d;
  for (let i = 0; i < ema.length; i++) ema[i] = d * ema[i]! + k * w[i]!;
}
