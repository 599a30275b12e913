/**
 * ETA from an exponentially smoothed rate: robust to a slow first unit (model loading)
 * without reacting to every hiccup.
 */
export class EtaEstimator {
  private lastT: number | null = null;
  private lastDone = 0;
  private rate: number | null = null; // units per second

  constructor(private readonly now: () => number = Date.now, private readonly alpha = 0.2) {}

  update(done: number, total: number): number | null {
    const t = this.now();
    if (this.lastT === null || done < this.lastDone) {
      this.lastT = t;
      this.lastDone = done;
      return null;
    }
    const dt = (t - this.lastT) / 1000;
    const dd = done - this.lastDone;
    if (dt > 0 && dd > 0) {
      const r = dd / dt;
      this.rate = this.rate === null ? r : this.alpha * r + (1 - this.alpha) * this.rate;
      this.lastT = t;
      this.lastDone = done;
    }
    if (this.rate === null || this.rate <= 0 || total <= 0) return null;
    return Math.max(0, (total - done) / this.rate);
  }
}
