/**
 * Splits ffmpeg's `image2pipe`/`ppm` stream into frames. PPM rather than bare rawvideo
 * because every frame carries its own size: after autorotation and scaling the decoder
 * never has to predict ffmpeg's output dimensions.
 */
export interface RawFrame {
  width: number;
  height: number;
  /** RGB24, row-major, no padding; owned by the receiver. */
  data: Uint8Array;
}

const MAX_HEADER = 64;
const DECODER = new TextDecoder();

export class PpmSplitter {
  private header = new Uint8Array(MAX_HEADER);
  private headerLen = 0;
  private frame: RawFrame | null = null;
  private filled = 0;

  /** Feeds one chunk; calls `emit` for each completed frame. */
  push(chunk: Uint8Array, emit: (f: RawFrame) => void): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.frame === null) {
        off = this.readHeader(chunk, off);
        continue;
      }
      const need = this.frame.data.length - this.filled;
      const take = Math.min(need, chunk.length - off);
      this.frame.data.set(chunk.subarray(off, off + take), this.filled);
      this.filled += take;
      off += take;
      if (this.filled === this.frame.data.length) {
        const f = this.frame;
        this.frame = null;
        this.filled = 0;
        emit(f);
      }
    }
  }

  /** True when the stream stopped in the middle of a frame (a truncated pipe). */
  get partial(): boolean {
    return this.frame !== null || this.headerLen > 0;
  }

  // Header is "P6<ws>W<ws>H<ws>255<one ws>"; ffmpeg writes it with newlines. Only
  // whitespace bytes can end a header, so the regex runs a handful of times per frame.
  private readHeader(chunk: Uint8Array, off: number): number {
    while (off < chunk.length) {
      if (this.headerLen >= MAX_HEADER) throw new Error('PPM header too long: not a PPM stream');
      const b = chunk[off++]!;
      this.header[this.headerLen++] = b;
      if (this.headerLen === 2 && (this.header[0] !== 0x50 || this.header[1] !== 0x36)) {
        throw new Error('Not a binary PPM (P6) stream');
      }
      if (b === 0x0a || b === 0x20 || b === 0x09 || b === 0x0d) {
        const text = DECODER.decode(this.header.subarray(0, this.headerLen));
        const m = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s$/.exec(text);
        if (m) {
          if (m[3] !== '255') throw new Error(`Unsupported PPM max value ${m[3]}`);
          const width = Number(m[1]);
          const height = Number(m[2]);
          this.frame = { width, height, data: new Uint8Array(width * height * 3) };
          this.headerLen = 0;
          return off;
        }
      }
    }
    return off;
  }
}
