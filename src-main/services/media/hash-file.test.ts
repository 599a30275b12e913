import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { hashFile } from './hash-file.js';

describe('hashFile', () => {
  it('gives the SHA-256 and size of a real video, with progress up to its size', async () => {
    const path = fixture('franck_3s.mp4');
    const bytes = readFileSync(path);
    const seen: number[] = [];
    const r = await hashFile(path, { onProgress: (done, total) => (expect(total).toBe(bytes.length), seen.push(done)) });
    expect(r).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    expect(seen.every((d, i) => d > 0 && d <= bytes.length && (i === 0 || d >= seen[i - 1]!))).toBe(true);
  });

  it('reports a missing file with its code, and a cancel as CANCELLED', async () => {
    await expect(hashFile(fixture('no-such-video.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
    const ac = new AbortController();
    ac.abort();
    await expect(hashFile(fixture('franck_3s.mp4'), { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
