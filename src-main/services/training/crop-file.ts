import { closeSync, openSync, readSync, fstatSync, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

/**
 * The training crops of a video on disk (frame-major RGB8, `frameBytes` per frame), read one
 * frame at a time through a small LRU: resident memory is `capacity` frames whatever the
 * footage length. Synchronous reads on purpose: callers run in worker threads and need a frame
 * now (the training loop, the reference lookup inside a window build).
 *
 * Each miss returns a fresh array, so a frame a caller still holds is never overwritten by a
 * later read; the cache only bounds what *this* reader keeps alive.
 */
export class CropReader {
  private fd: number | null;
  private readonly cache = new Map<number, Uint8Array>();
  /** Reads from disk so far (tests check the cache bound with it). */
  misses = 0;

  private constructor(
    readonly file: string,
    readonly frames: number,
    readonly frameBytes: number,
    readonly capacity: number,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens a cache file that must hold exactly `frames` frames; null when it does not (rebuild it). */
  static open(file: string, frames: number, frameBytes: number, capacity = DEFAULT_CAPACITY): CropReader | null {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return null;
    }
    if (fstatSync(fd).size !== frames * frameBytes) {
      closeSync(fd);
      return null;
    }
    return new CropReader(file, frames, frameBytes, Math.max(1, capacity), fd);
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  get cached(): number {
    return this.cache.size;
  }

  frame(f: number): Uint8Array {
    if (!Number.isInteger(f) || f < 0 || f >= this.frames) throw new PortraitError('BAD_REQUEST', `Frame ${f} is outside the training crops (0..${this.frames - 1}).`);
    const hit = this.cache.get(f);
    if (hit) {
      // Map keeps insertion order: re-inserting marks the frame most recently used.
      this.cache.delete(f);
      this.cache.set(f, hit);
      return hit;
    }
    if (this.fd === null) throw new Error(`The training crops (${this.file}) were read after the dataset was closed.`);
    const out = new Uint8Array(this.frameBytes);
    let got = 0;
    while (got < out.length) {
      const r = readSync(this.fd, out, got, out.length - got, f * this.frameBytes + got);
      if (r === 0) break;
      got += r;
    }
    if (got < out.length) {
      throw new PortraitError(
        'PROJECT_CORRUPT',
        `The training crop cache ${this.file} ends inside frame ${f} (it was truncated while in use). Delete it (the project's cache/ folder is safe to delete) and start again: it is rebuilt from the video.`,
      );
    }
    this.misses++;
    this.cache.set(f, out);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return out;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    this.cache.clear();
  }
}

/** Enough for a batch, a reference mean of 4 and the validation frames of one step. */
export const DEFAULT_CAPACITY = 32;

/**
 * Writes the crop cache frame by frame (never all frames in memory): to a temp file, fsynced,
 * then renamed, so a kill leaves either no cache or a whole one. Frames `produce` does not
 * deliver (a video shorter than its header says, a gap) repeat the last delivered one.
 */
export async function writeCropFile(
  file: string,
  frames: number,
  frameBytes: number,
  produce: (write: (f: number, bytes: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx', 0o644);
  let ok = false;
  try {
    let next = 0;
    // A copy: producers reuse one scratch buffer for every frame.
    const last = new Uint8Array(frameBytes);
    await produce(async (f, bytes) => {
      if (f >= frames) return;
      if (f < next || bytes.length !== frameBytes) throw new Error(`crop frames must arrive in order, whole (got frame ${f} after ${next - 1})`);
      for (; next < f; next++) await handle.write(last, 0, frameBytes, next * frameBytes);
      await handle.write(bytes, 0, frameBytes, f * frameBytes);
      last.set(bytes);
      next++;
    });
    for (let f = next; f < frames; f++) await handle.write(last, 0, frameBytes, f * frameBytes);
    await handle.sync();
    ok = true;
  } finally {
    await handle.close();
    if (!ok) await fs.rm(tmp, { force: true });
  }
  await fs.rename(tmp, file);
}
