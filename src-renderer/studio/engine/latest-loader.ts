/**
 * Loads per-frame images (decoded frames, overlays) while scrubbing: at most one request in
 * flight, only the newest wanted frame is requested next (stale ones are dropped), and
 * recent replies are cached so scrubbing back is instant.
 */
export interface LoaderResult<T> {
  frame: number;
  value: T | null;
  error: unknown;
}

export class LatestLoader<T> {
  private wanted = -1;
  private inFlight = false;
  private readonly cache = new Map<number, T>();
  private disposed = false;

  constructor(
    private readonly fetch: (frame: number) => Promise<T>,
    private readonly onResult: (r: LoaderResult<T>) => void,
    private readonly cacheSize = 96,
  ) {}

  request(frame: number): void {
    this.wanted = frame;
    const hit = this.cache.get(frame);
    if (hit !== undefined) {
      this.onResult({ frame, value: hit, error: null });
      return;
    }
    if (!this.inFlight) void this.load(frame);
  }

  private async load(frame: number): Promise<void> {
    this.inFlight = true;
    try {
      const v = await this.fetch(frame);
      if (this.disposed) return;
      this.cache.set(frame, v);
      if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as number);
      if (frame === this.wanted) this.onResult({ frame, value: v, error: null });
    } catch (error) {
      if (!this.disposed && frame === this.wanted) this.onResult({ frame, value: null, error });
    } finally {
      this.inFlight = false;
    }
    if (!this.disposed && this.wanted !== frame && !this.cache.has(this.wanted)) void this.load(this.wanted);
    else if (!this.disposed && this.wanted !== frame) this.request(this.wanted);
  }

  dispose(): void {
    this.disposed = true;
  }
}
