/**
 * Collects values that arrive faster than a person can read them (job progress: up to ten
 * events a second per job) and hands them over in batches at most every `intervalMs`. The first
 * value after a quiet spell goes out at once; later ones wait for the interval. Without this, a
 * fast job (the tiny profile trains ~50 steps/s) re-renders the dashboard's charts ten times a
 * second and on a 2-core machine starves the page of the CPU it needs to answer a click.
 */
/** How often live job progress reaches the UI: a display rate, not a job's step rate. */
export const UI_PROGRESS_INTERVAL_MS = 500;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Coalescer<T> {
  private batch: T[] = [];
  private timer: unknown = null;
  private lastFlush = -Infinity;

  constructor(
    private readonly deliver: (batch: T[]) => void,
    private readonly intervalMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  push(value: T): void {
    this.batch.push(value);
    if (this.timer !== null) return;
    const wait = this.lastFlush + this.intervalMs - this.timers.now();
    if (wait <= 0) this.flush();
    else this.timer = this.timers.setTimeout(() => this.flush(), wait);
  }

  /** Delivers what is waiting now (before a job's end is shown, so no progress is lost). */
  flush(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.lastFlush = this.timers.now();
    this.deliver(b);
  }

  /** Drops what is waiting and stops the timer. */
  cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.batch = [];
  }
}
