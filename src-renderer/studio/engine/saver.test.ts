import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Saver } from './saver.js';

describe('debounced saver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes only the latest value once the edits settle', async () => {
    const writes: number[] = [];
    const s = new Saver<number>(async (v) => (writes.push(v), 'now'), 300);
    s.schedule(1);
    s.schedule(2);
    await vi.advanceTimersByTimeAsync(299);
    expect(writes).toEqual([]);
    s.schedule(3);
    await vi.advanceTimersByTimeAsync(300);
    expect(writes).toEqual([3]);
    expect(s.state.get()).toEqual({ kind: 'saved', at: 'now' });
  });

  it('flushes immediately and keeps a failed value pending for the retry', async () => {
    let fail = true;
    const writes: number[] = [];
    const s = new Saver<number>(async (v) => {
      if (fail) throw new Error('disk full');
      writes.push(v);
      return 't';
    }, 300);
    s.schedule(7);
    await s.flush();
    expect(s.state.get().kind).toBe('error');
    expect(s.dirty).toBe(true);
    fail = false;
    await s.flush();
    expect(writes).toEqual([7]);
    expect(s.dirty).toBe(false);
  });

  it('flushOrThrow fails while the edits are unsaved and succeeds once written', async () => {
    let fail = true;
    const s = new Saver<number>(async () => {
      if (fail) throw new Error('disk full');
      return 't';
    }, 300);
    s.schedule(1);
    await expect(s.flushOrThrow()).rejects.toThrow('disk full');
    expect(s.dirty).toBe(true);
    fail = false;
    await expect(s.flushOrThrow()).resolves.toBeUndefined();
    expect(s.dirty).toBe(false);
  });
});

describe('closing with unsaved edits', () => {
  it('flushStudios reports each studio whose edits could not be written', async () => {
    const { flushStudios, registerFlush } = await import('../flush-registry.js');
    const offA = registerFlush(async () => {});
    const offB = registerFlush(async () => {
      throw new Error('disk full');
    });
    expect((await flushStudios()).map(String)).toEqual(['Error: disk full']);
    offB();
    expect(await flushStudios()).toEqual([]);
    offA();
  });
});
