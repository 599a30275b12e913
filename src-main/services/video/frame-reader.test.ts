import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from './decode.js';
import { SequentialFrameReader } from './frame-reader.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'test', 'fixtures');
const clip = join(FIXTURES, 'cap12_2s.mp4');

async function direct(index: number): Promise<Uint8Array> {
  for await (const f of decodeFrames(clip, { start: index, count: 1 })) return f.data;
  throw new Error('no frame');
}

describe('SequentialFrameReader', () => {
  it('returns the same pixels as a direct decode, forward, repeated, backward (a loop) and after the end', async () => {
    const r = new SequentialFrameReader(clip);
    try {
      for (const i of [3, 4, 4, 9, 2, 49]) {
        const f = await r.frame(i);
        expect(f.index).toBe(i);
        expect(Buffer.from(f.data).equals(Buffer.from(await direct(i)))).toBe(true);
      }
      await expect(r.frame(50)).rejects.toThrow(/ends before frame 50/);
    } finally {
      await r.close();
    }
  }, 60_000);
});
