import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { decodeFrames, type VideoFrame } from './decode.js';

/** Beyond this many frames ahead, seeking (a new decoder) beats decoding through. */
const MAX_DECODE_AHEAD = 250;

/**
 * Frames of a video by index, for a consumer that mostly moves forward (the render's compare
 * layout follows the transfer's timing through the source): forward requests continue one
 * ffmpeg stream; a step back (a loop) or a long jump starts a new one at that frame. The same
 * index twice returns the same frame without decoding.
 */
export class SequentialFrameReader {
  private stream: AsyncGenerator<VideoFrame> | null = null;
  private at = -1;
  private last: VideoFrame | null = null;

  constructor(
    private readonly path: string,
    private readonly signal?: AbortSignal,
  ) {}

  async frame(index: number): Promise<VideoFrame> {
    if (this.last && this.at === index) return this.last;
    if (!this.stream || index < this.at || index - this.at > MAX_DECODE_AHEAD) {
      await this.close();
      this.stream = decodeFrames(this.path, { start: index, ...(this.signal ? { signal: this.signal } : {}) });
      this.at = index - 1;
    }
    while (this.at < index) {
      const r = await this.stream.next();
      if (r.done) throw new PortraitError('CORRUPT_MEDIA', `${this.path} ends before frame ${index}.`, { path: this.path });
      this.last = r.value;
      this.at++;
    }
    return this.last!;
  }

  /** Stops the decoder (kills ffmpeg); the reader can be used again afterwards. */
  async close(): Promise<void> {
    const s = this.stream;
    this.stream = null;
    this.last = null;
    this.at = -1;
    await s?.return(undefined);
  }
}
