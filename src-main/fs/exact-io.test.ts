import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFully, writeFully } from './exact-io.js';

const dir = await fs.mkdtemp(join(tmpdir(), 'exact-io-'));
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('exact file reads and writes', () => {
  it('writes all bytes at a position and reads them back; a read past the end says so', async () => {
    const file = join(dir, 'a.bin');
    const h = await fs.open(file, 'w+');
    try {
      const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => i & 255);
      await writeFully(h, bytes, 10);
      const into = new Uint8Array(1000);
      expect(await readFully(h, into, 1000, 10 + 5000)).toBe(true);
      expect(Array.from(into.subarray(0, 4))).toEqual([5000 & 255, 5001 & 255, 5002 & 255, 5003 & 255]);
      expect((await h.stat()).size).toBe(300_010);
      // the file ends 4 bytes into the wanted range
      expect(await readFully(h, into, 8, 300_006)).toBe(false);
      await expect(readFully(h, into, 1001, 0)).rejects.toThrow(RangeError);
    } finally {
      await h.close();
    }
  });
});
