/**
 * fillInvalid (base-tracks.ts) as a stream: frames go in in order, each with its values (valid)
 * or without (no face), and come out in order with the gaps filled exactly as fillInvalid fills
 * them (linear between the nearest valid frames in float32, edges held; no valid frame at all
 * leaves `fallback`). It holds two rows, never the frames of a gap: a gap's frames come out
 * when the frame that ends it (or the end of the track) goes in. When `emit` returns a promise
 * (a chunk of frames to write), the filler waits for it before the next frame and `valid`/`end`
 * return a promise the caller waits for before going on: a long gap comes out chunk by chunk,
 * never queued.
 */
export class GapFiller {
  private readonly prev: Float32Array;
  private readonly out: Float32Array;
  private readonly row: Float32Array;
  /** Index of the last valid frame seen (-1: none yet). */
  private prevValid = -1;
  /** The next frame to come out. */
  private next = 0;
  private ended = false;

  /**
   * @param width values per frame
   * @param emit receives each frame once, in order; `values` is reused (copy it before any await)
   * @param fallback the values of every frame when no frame is valid
   */
  constructor(
    readonly width: number,
    private readonly emit: (frame: number, values: Float32Array) => void | Promise<void>,
    private readonly fallback: Float32Array,
  ) {
    this.prev = new Float32Array(width);
    this.out = new Float32Array(width);
    this.row = new Float32Array(width);
  }

  /**
   * Frame `frame` (the next one in order) is valid with `values` (read as float32). Returns a
   * promise only when `emit` returned one (wait for it before the next frame), so the common
   * case allocates nothing.
   */
  valid(frame: number, values: ArrayLike<number>): void | Promise<void> {
    this.check(frame);
    const prev = this.prevValid;
    const out = this.out;
    for (let c = 0; c < this.width; c++) out[c] = values[c]!;
    const w =
      prev < 0
        ? // Frames before the first valid one hold its values.
          this.drain(this.next, frame + 1, () => out)
        : frame - prev === 1
          ? this.emit(frame, out)
          : this.drain(prev + 1, frame + 1, (g) => (g === frame ? out : this.between(g, prev, frame)));
    if (w) return w.then(() => this.advance(frame));
    this.advance(frame);
  }

  /** Frame `frame` has no values: it comes out once the gap it is in is closed. */
  invalid(frame: number): void {
    this.check(frame);
  }

  /** The track has `frameCount` frames: the rest come out (held, or `fallback`). */
  end(frameCount: number): void | Promise<void> {
    if (this.ended) throw new Error('GapFiller: ended twice');
    this.ended = true;
    const hold = this.prevValid < 0 ? this.fallback : this.prev;
    const from = this.next;
    this.next = Math.max(this.next, frameCount);
    return this.drain(from, frameCount, () => hold);
  }

  /** The gap's frame g between valid frames a and b, linear in float32 as fillGaps computes it. */
  private between(g: number, a: number, b: number): Float32Array {
    const row = this.row;
    for (let c = 0; c < this.width; c++) {
      const a0 = this.prev[c]!;
      const a1 = this.out[c]!;
      row[c] = a0 + ((a1 - a0) * (g - a)) / (b - a);
    }
    return row;
  }

  /** Emits frames [g, end): synchronously until `emit` returns a promise, then after it. */
  private drain(g: number, end: number, value: (g: number) => Float32Array): void | Promise<void> {
    for (; g < end; g++) {
      const w = this.emit(g, value(g));
      if (w) {
        const next = g + 1;
        return w.then(() => this.drain(next, end, value));
      }
    }
  }

  private advance(frame: number): void {
    this.prev.set(this.out);
    this.prevValid = frame;
    this.next = frame + 1;
  }

  private seen = -1;
  private check(frame: number): void {
    if (this.ended || frame !== this.seen + 1) throw new Error(`GapFiller: frame ${frame} out of order (after ${this.seen})`);
    this.seen = frame;
  }
}
