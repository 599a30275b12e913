/**
 * LRU cache of rendered frames keyed by (frame, stamp). The stamp is the edit/version of
 * whatever the frame was rendered from (track, edits, actor model), so bumping it
 * invalidates without a purge. Evicted buffers are recycled for the next render, so a
 * warmed-up cache allocates nothing.
 */
export class FrameCache {
  readonly capacity: number;
  readonly frameSize: number;
  private readonly map = new Map<string, Float32Array>();
  private readonly pool: Float32Array[] = [];
  hits = 0;
  misses = 0;

  constructor(capacity: number, frameSize: number) {
    if (!(capacity >= 1)) throw new RangeError('cache capacity must be at least 1');
    this.capacity = capacity;
    this.frameSize = frameSize;
  }

  static key(frame: number, stamp: string | number): string {
    return `${frame}@${stamp}`;
  }

  get size(): number {
    return this.map.size;
  }

  /** The cached frame (marking it most recently used), or undefined. */
  get(frame: number, stamp: string | number): Float32Array | undefined {
    const k = FrameCache.key(frame, stamp);
    const v = this.map.get(k);
    if (v) {
      this.map.delete(k);
      this.map.set(k, v);
      this.hits++;
    } else {
      this.misses++;
    }
    return v;
  }

  /**
   * Returns the cached frame, or renders it into a recycled buffer via `render` and caches it.
   * The returned buffer belongs to the cache: copy it if it must outlive later renders.
   */
  getOrRender(frame: number, stamp: string | number, render: (frame: number, out: Float32Array) => void): Float32Array {
    const hit = this.get(frame, stamp);
    if (hit) return hit;
    const buf = this.takeBuffer();
    render(frame, buf);
    this.map.set(FrameCache.key(frame, stamp), buf);
    return buf;
  }

  /** Drops everything not rendered with `stamp` (e.g. after an edit), keeping the buffers. */
  retainStamp(stamp: string | number): void {
    const suffix = `@${stamp}`;
    for (const [k, v] of this.map) {
      if (!k.endsWith(suffix)) {
        this.map.delete(k);
        this.pool.push(v);
      }
    }
  }

  clear(): void {
    for (const v of this.map.values()) this.pool.push(v);
    this.map.clear();
  }

  private takeBuffer(): Float32Array {
    if (this.map.size >= this.capacity) {
      const oldest = this.map.keys().next().value as string;
      const buf = this.map.get(oldest)!;
      this.map.delete(oldest);
      return buf;
    }
    return this.pool.pop() ?? new Float32Array(this.frameSize);
  }
}
