import { describe, expect, it } from 'vitest';
import { CHANNELS_PER_FRAME } from '../images/renderer.js';
import { FrameCache } from './frameCache.js';
import { WINDOW_CHANNELS, WindowAssembler, windowFrameIndex } from './spaceTime.js';

const W = 4, H = 3;
/** A fake per-frame render whose every value encodes (frame, pixel, channel). */
function fakeRender(calls: number[]) {
  return (frame: number, out: Float32Array): void => {
    calls.push(frame);
    for (let p = 0; p < W * H; p++) for (let c = 0; c < CHANNELS_PER_FRAME; c++) out[p * CHANNELS_PER_FRAME + c] = frame * 1000 + p * 10 + c;
  };
}

describe('space-time window', () => {
  it('stacks frames f-10..f in HWC order with 99 channels, padding the start with frame 0', () => {
    const calls: number[] = [];
    const cache = new FrameCache(16, W * H * CHANNELS_PER_FRAME);
    const asm = new WindowAssembler(W, H, cache, fakeRender(calls));
    expect(WINDOW_CHANNELS).toBe(99);
    for (let f = 0; f <= 12; f++) {
      const win = asm.assemble(f, 'v1');
      expect(win.length).toBe(W * H * 99);
      for (let k = 0; k < 11; k++) {
        const src = Math.max(0, f - 10 + k);
        expect(windowFrameIndex(f, k)).toBe(src);
        for (let p = 0; p < W * H; p++) {
          for (let c = 0; c < 9; c++) expect(win[p * 99 + k * 9 + c]).toBe(src * 1000 + p * 10 + c);
        }
      }
    }
    // Each frame rendered once despite 13 overlapping windows.
    expect(calls).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('a cache hit returns the identical data without re-rendering; a new stamp re-renders', () => {
    const calls: number[] = [];
    const cache = new FrameCache(11, W * H * CHANNELS_PER_FRAME);
    const render = fakeRender(calls);
    const a = Float32Array.from(cache.getOrRender(5, 'v1', render));
    const b = cache.getOrRender(5, 'v1', render);
    expect(calls).toEqual([5]);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(cache.hits).toBe(1);
    cache.getOrRender(5, 'v2', render);
    expect(calls).toEqual([5, 5]);
  });

  it('evicts the least recently used frame and recycles its buffer', () => {
    const calls: number[] = [];
    const cache = new FrameCache(2, W * H * CHANNELS_PER_FRAME);
    const render = fakeRender(calls);
    const b0 = cache.getOrRender(0, 's', render);
    cache.getOrRender(1, 's', render);
    cache.getOrRender(0, 's', render); // 0 now most recent
    const b2 = cache.getOrRender(2, 's', render); // evicts 1
    expect(cache.get(1, 's')).toBeUndefined();
    expect(cache.get(0, 's')).toBe(b0);
    expect(b2).not.toBe(b0);
    expect(cache.size).toBe(2);
  });
});
