import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PpmSplitter, type RawFrame } from './ppm.js';

function ppm(w: number, h: number, seed: number): Uint8Array {
  const head = new TextEncoder().encode(`P6\n${w} ${h}\n255\n`);
  const out = new Uint8Array(head.length + w * h * 3);
  out.set(head);
  for (let i = head.length; i < out.length; i++) out[i] = (i * 31 + seed) & 255;
  return out;
}

describe('PpmSplitter', () => {
  it('reassembles frames whatever the pipe chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 })), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (sizes, cuts) => {
          const frames = sizes.map(([w, h], i) => ppm(w, h, i));
          const stream = new Uint8Array(frames.reduce((s, f) => s + f.length, 0));
          let o = 0;
          for (const f of frames) { stream.set(f, o); o += f.length; }
          const got: RawFrame[] = [];
          const sp = new PpmSplitter();
          let pos = 0, k = 0;
          while (pos < stream.length) {
            const n = cuts[k++ % cuts.length]!;
            sp.push(stream.subarray(pos, pos + n), (f) => got.push(f));
            pos += n;
          }
          expect(sp.partial).toBe(false);
          expect(got.map((f) => [f.width, f.height])).toEqual(sizes);
          got.forEach((f, i) => {
            const src = frames[i]!;
            expect(Buffer.compare(f.data, src.subarray(src.length - f.data.length))).toBe(0);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('flags a stream cut inside a frame and rejects non-PPM data', () => {
    const sp = new PpmSplitter();
    const f = ppm(4, 4, 0);
    sp.push(f.subarray(0, f.length - 5), () => {});
    expect(sp.partial).toBe(true);
    expect(() => new PpmSplitter().push(new TextEncoder().encode('hello world\n'), () => {})).toThrow();
  });
});
