import type { FileHandle } from 'node:fs/promises';

/**
 * A file read or write may move fewer bytes than asked (signals, pipes, network file systems):
 * these loop until all of them have moved.
 */

/** Reads exactly `length` bytes at `position` into into[0..length); false when the file ends first. */
export async function readFully(h: FileHandle, into: Uint8Array, length: number, position: number): Promise<boolean> {
  if (length > into.length) throw new RangeError(`${length} bytes asked into a buffer of ${into.length}`);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await h.read(into, done, length - done, position + done);
    if (bytesRead === 0) return false;
    done += bytesRead;
  }
  return true;
}

/** Writes all of `bytes` at `position`. */
export async function writeFully(h: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await h.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}
