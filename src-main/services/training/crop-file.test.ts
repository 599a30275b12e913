import { existsSync, promises as fs, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CropReader, writeCropFile } from './crop-file.js';

const FRAME = 12;
/** A frame whose every byte says which frame it is (and where in the frame). */
const pattern = (f: number) => Uint8Array.from({ length: FRAME }, (_, i) => (f * 7 + i) & 255);

/** The fds of this process that point at `file` (Linux; null elsewhere). */
function openFds(file: string): number | null {
  if (!existsSync('/proc/self/fd')) return null;
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n++;
    } catch {
      /* closed while listing */
    }
  }
  return n;
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'crops-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('crop file (training crops on disk, read through a small cache)', () => {
  it('reads back exactly the bytes written, frame by frame, from one scratch buffer', async () => {
    const file = join(dir, 'c.rgb');
    const scratch = new Uint8Array(FRAME);
    await writeCropFile(file, 50, FRAME, async (write) => {
      for (let f = 0; f < 50; f++) {
        scratch.set(pattern(f));
        await write(f, scratch);
      }
    });
    expect((await fs.stat(file)).size).toBe(50 * FRAME);
    const r = CropReader.open(file, 50, FRAME)!;
    for (const f of [0, 49, 17, 17, 3]) expect(r.frame(f)).toEqual(pattern(f));
    r.close();
    // No temp file left beside it.
    expect(await fs.readdir(dir)).toEqual(['c.rgb']);
  });

  it('fills frames the producer skipped or never delivered with the last delivered one', async () => {
    const file = join(dir, 'short.rgb');
    await writeCropFile(file, 8, FRAME, async (write) => {
      await write(0, pattern(0));
      await write(3, pattern(3)); // 1 and 2 missing
      await write(4, pattern(4));
    });
    const r = CropReader.open(file, 8, FRAME)!;
    expect([0, 1, 2, 3, 4, 5, 7].map((f) => r.frame(f)[0])).toEqual([0, 0, 0, 3, 4, 4, 4].map((f) => pattern(f)[0]));
    r.close();
  });

  it('a failed build leaves no file (the next run rebuilds)', async () => {
    const file = join(dir, 'failed.rgb');
    await expect(
      writeCropFile(file, 8, FRAME, async (write) => {
        await write(0, pattern(0));
        throw new Error('decoder died');
      }),
    ).rejects.toThrow('decoder died');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('keeps at most `capacity` frames, hits the cache for recent frames, and hands out arrays later reads never overwrite', async () => {
    const file = join(dir, 'c.rgb');
    await writeCropFile(file, 200, FRAME, async (write) => {
      for (let f = 0; f < 200; f++) await write(f, pattern(f));
    });
    const r = CropReader.open(file, 200, FRAME, 8)!;
    const held = r.frame(5);
    for (let f = 0; f < 200; f++) r.frame(f);
    expect(r.cached).toBe(8);
    expect(held).toEqual(pattern(5));
    const misses = r.misses;
    for (let f = 192; f < 200; f++) r.frame(f);
    expect(r.misses).toBe(misses); // the last 8 are cached
    r.frame(0);
    expect(r.misses).toBe(misses + 1);
    r.close();
  });

  it('refuses a cache of the wrong length (rebuild) and says what to do when it is truncated while in use', async () => {
    const file = join(dir, 'c.rgb');
    await fs.writeFile(file, new Uint8Array(10 * FRAME));
    expect(CropReader.open(file, 11, FRAME)).toBeNull();
    expect(CropReader.open(join(dir, 'missing.rgb'), 10, FRAME)).toBeNull();
    const r = CropReader.open(file, 10, FRAME)!;
    await fs.truncate(file, 5 * FRAME + 3);
    expect(() => r.frame(5)).toThrow(expect.objectContaining({ code: 'PROJECT_CORRUPT', message: expect.stringMatching(/truncated.*Delete it/) }));
    expect(r.frame(4)).toHaveLength(FRAME);
    expect(() => r.frame(10)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    r.close();
  });

  it('close() releases the file: no descriptor left open, and a read after it fails loudly', async () => {
    const file = join(dir, 'c.rgb');
    await fs.writeFile(file, new Uint8Array(4 * FRAME));
    const before = openFds(file);
    const r = CropReader.open(file, 4, FRAME)!;
    r.frame(1);
    if (before !== null) expect(openFds(file)).toBe(before + 1);
    r.close();
    r.close(); // idempotent
    expect(r.isOpen).toBe(false);
    if (before !== null) expect(openFds(file)).toBe(before);
    expect(() => r.frame(2)).toThrow(/after the dataset was closed/);
  });
});
