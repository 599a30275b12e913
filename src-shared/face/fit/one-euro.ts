/**
 * One Euro filter (Casiez et al., CHI 2012): a low-pass whose cutoff rises with speed, so it
 * removes jitter at rest without lagging on fast head turns. Kept separate from the fit so
 * tracks are stored raw and smoothed on use (the user can change the strength).
 */
import type { HeadPose } from '../params.js';

export interface OneEuroOptions {
  /** Hz: cutoff at rest (lower = smoother still frames). */
  minCutoff: number;
  /** Speed coefficient: how fast the cutoff rises with |derivative|. */
  beta: number;
  /** Hz: cutoff for the derivative estimate. */
  dCutoff: number;
}

export const DEFAULT_ONE_EURO: OneEuroOptions = { minCutoff: 1.0, beta: 0.05, dCutoff: 1.0 };

/** Filters `channels` values per sample in place; allocation-free after construction. */
export class OneEuroFilter {
  private readonly x: Float64Array;
  private readonly dx: Float64Array;
  private lastT = NaN;
  constructor(
    readonly channels: number,
    readonly options: OneEuroOptions = DEFAULT_ONE_EURO,
  ) {
    this.x = new Float64Array(channels);
    this.dx = new Float64Array(channels);
  }

  reset(): void {
    this.lastT = NaN;
  }

  /** values: current raw sample (overwritten with the filtered one); t in seconds. */
  filter(values: Float64Array | Float32Array, t: number): void {
    if (Number.isNaN(this.lastT) || t <= this.lastT) {
      for (let c = 0; c < this.channels; c++) {
        this.x[c] = values[c]!;
        this.dx[c] = 0;
      }
      this.lastT = t;
      return;
    }
    const dt = t - this.lastT;
    this.lastT = t;
    const ad = alpha(this.options.dCutoff, dt);
    for (let c = 0; c < this.channels; c++) {
      const raw = values[c]!;
      const d = (raw - this.x[c]!) / dt;
      const dHat = this.dx[c]! + ad * (d - this.dx[c]!);
      this.dx[c] = dHat;
      const a = alpha(this.options.minCutoff + this.options.beta * Math.abs(dHat), dt);
      const v = this.x[c]! + a * (raw - this.x[c]!);
      this.x[c] = v;
      values[c] = v;
    }
  }
}

function alpha(cutoff: number, dt: number): number {
  const tau = 1 / (2 * Math.PI * cutoff);
  return 1 / (1 + tau / dt);
}


/**
 * smoothPoseTrack one pose at a time: the k-th pose given is filtered at time k / fps (the
 * index among the poses given, not a frame number), so a caller can stream a track through it
 * in chunks and get what smoothPoseTrack gives for the whole array.
 */
export class PoseSmoother {
  private readonly f: OneEuroFilter;
  private readonly v = new Float64Array(6);
  private i = 0;
  constructor(
    private readonly fps: number,
    options: OneEuroOptions = DEFAULT_ONE_EURO,
  ) {
    this.f = new OneEuroFilter(6, options);
  }

  /** Filters `p`'s pose in place. */
  next(p: HeadPose): void {
    const v = this.v;
    v[0] = p.yaw;
    v[1] = p.pitch;
    v[2] = p.roll;
    v[3] = p.tx;
    v[4] = p.ty;
    v[5] = p.tz;
    this.f.filter(v, this.i++ / this.fps);
    p.yaw = v[0]!;
    p.pitch = v[1]!;
    p.roll = v[2]!;
    p.tx = v[3]!;
    p.ty = v[4]!;
    p.tz = v[5]!;
  }
}

/** Smooths the pose channels (yaw, pitch, roll, tx, ty, tz) of a track in place. */
export function smoothPoseTrack(track: HeadPose[], fps: number, options: OneEuroOptions = DEFAULT_ONE_EURO): void {
  const s = new PoseSmoother(fps, options);
  for (const p of track) s.next(p);
}
