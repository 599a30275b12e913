/**
 * ETA from the rate over a sliding time window. Work reports progress in bursts (a tracking
 * chunk of frames at once, a checkpoint pause in training), so a rate measured between two
 * reports swings several-fold; one measured over the last `windowSec` seconds does not. The
 * first report (model loading, probing) only starts the clock.
 */
export class EtaEstimator {
  /** (time ms, units done) of recent reports, oldest first */
  private readonly samples: Array<[number, number]> = [];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly windowSec = 20,
  ) {}

  update(done: number, total: number): number | null {
    const t = this.now();
    const last = this.samples[this.samples.length - 1];
    // A new stage (done went back) starts over.
    if (last && done < last[1]) this.samples.length = 0;
    this.samples.push([t, done]);
    // Keep one sample at or before the window's start, so the window always spans windowSec once it can.
    while (this.samples.length > 2 && this.samples[1]![0] <= t - this.windowSec * 1000) this.samples.shift();
    const [t0, d0] = this.samples[0]!;
    const dt = (t - t0) / 1000;
    const dd = done - d0;
    if (dt <= 0 || dd <= 0 || total <= 0) return null;
    return Math.max(0, ((total - done) * dt) / dd);
  }
}
