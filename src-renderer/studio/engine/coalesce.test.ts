import { describe, expect, it } from 'vitest';
import { Coalescer, type Timers } from './coalesce.js';

function fakeTimers() {
  let t = 0;
  const queue: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const timers: Timers = {
    now: () => t,
    setTimeout: (fn, ms) => {
      const id = next++;
      queue.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      const i = queue.findIndex((q) => q.id === h);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const q = queue[0];
      if (!q || q.at > end) break;
      queue.shift();
      t = q.at;
      q.fn();
    }
    t = end;
  };
  return { timers, advance, pending: () => queue.length };
}

describe('Coalescer', () => {
  it('delivers the first value at once, then batches at most one delivery per interval, losing nothing', () => {
    const { timers, advance } = fakeTimers();
    const got: number[][] = [];
    const c = new Coalescer<number>((b) => got.push(b), 500, timers);
    c.push(1);
    expect(got).toEqual([[1]]);
    // 50 values at 10 ms spacing (100/s): two more deliveries in 500 ms windows, all values kept.
    for (let i = 2; i <= 51; i++) {
      advance(10);
      c.push(i);
    }
    advance(1000);
    expect(got.length).toBeLessThanOrEqual(3);
    expect(got.flat()).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    const deliveries = got.length;
    // Quiet for longer than the interval: the next value goes out at once again.
    c.push(99);
    expect(got.length).toBe(deliveries + 1);
    expect(got[got.length - 1]).toEqual([99]);
  });

  it('flush delivers what waits now; cancel drops it and leaves no timer', () => {
    const { timers, advance, pending } = fakeTimers();
    const got: number[][] = [];
    const c = new Coalescer<number>((b) => got.push(b), 500, timers);
    c.push(1);
    c.push(2);
    c.push(3);
    expect(pending()).toBe(1);
    c.flush();
    expect(got).toEqual([[1], [2, 3]]);
    expect(pending()).toBe(0);
    c.push(4);
    c.cancel();
    advance(1000);
    expect(got).toEqual([[1], [2, 3]]);
    expect(pending()).toBe(0);
  });
});
