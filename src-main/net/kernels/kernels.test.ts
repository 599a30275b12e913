import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/select.js';
import { tuning } from './conv-backprop-input.js';
import { Rng } from '../train/rng.js';

type Pad = 'same' | 'valid';
interface Case { b: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: Pad }

const CASES: Case[] = [
  { b: 1, h: 16, w: 16, ci: 5, co: 7, k: 4, s: 2, pad: 'same' },
  { b: 2, h: 8, w: 12, ci: 3, co: 4, k: 4, s: 2, pad: 'same' },
  { b: 1, h: 9, w: 9, ci: 4, co: 3, k: 3, s: 1, pad: 'same' },
  { b: 2, h: 10, w: 10, ci: 6, co: 2, k: 3, s: 1, pad: 'valid' },
  { b: 1, h: 12, w: 12, ci: 3, co: 5, k: 4, s: 2, pad: 'valid' },
  { b: 1, h: 7, w: 9, ci: 2, co: 3, k: 3, s: 2, pad: 'same' },
  { b: 3, h: 6, w: 6, ci: 8, co: 8, k: 4, s: 1, pad: 'same' },
  { b: 1, h: 16, w: 16, ci: 99, co: 16, k: 4, s: 2, pad: 'same' },
  { b: 4, h: 2, w: 2, ci: 16, co: 8, k: 4, s: 2, pad: 'same' },
  { b: 2, h: 12, w: 8, ci: 5, co: 6, k: 3, s: 2, pad: 'valid' },
  { b: 1, h: 8, w: 8, ci: 4, co: 4, k: 2, s: 2, pad: 'same' },
];

function randn(n: number, rng: Rng): Float32Array {
  const a = new Float32Array(n);
  rng.fillNormal(a, 0, 1);
  return a;
}

function outSide(n: number, k: number, s: number, pad: Pad): number {
  return pad === 'same' ? Math.ceil(n / s) : Math.ceil((n - k + 1) / s);
}

/** runs a kernel by name on a backend from plain arrays, so both backends see identical inputs */
function run(backend: string, kernel: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ts: Record<string, tf.Tensor> = {};
    for (const [k, [v, shape]] of Object.entries(inputs)) ts[k] = tf.tensor(v, shape);
    const out = tf.engine().runKernel(kernel, ts as never, attrs as never) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

function relErr(a: Float32Array, ref: Float32Array): number {
  expect(a.length).toBe(ref.length);
  let maxDiff = 0;
  let maxRef = 1e-6;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i]! - ref[i]!));
    maxRef = Math.max(maxRef, Math.abs(ref[i]!));
  }
  return maxDiff / maxRef;
}

describe('wasm training kernels match the cpu backend', () => {
  beforeAll(async () => {
    const b = await selectBackend({ prefer: 'wasm', forTraining: true });
    expect(b.name).toBe('wasm');
  });

  for (const c of CASES) {
    const label = `${c.b}x${c.h}x${c.w}x${c.ci}->${c.co} k${c.k} s${c.s} ${c.pad}`;
    const oh = outSide(c.h, c.k, c.s, c.pad);
    const ow = outSide(c.w, c.k, c.s, c.pad);
    const rng = new Rng(c.h * 1000 + c.ci * 10 + c.s);
    const x = randn(c.b * c.h * c.w * c.ci, rng);
    const dy = randn(c.b * oh * ow * c.co, rng);
    const f = randn(c.k * c.k * c.ci * c.co, rng);
    const base = { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };

    it(`Conv2DBackpropFilter ${label}`, () => {
      const inputs = { x: [x, [c.b, c.h, c.w, c.ci]], dy: [dy, [c.b, oh, ow, c.co]] } as Record<string, [Float32Array, number[]]>;
      const attrs = { ...base, filterShape: [c.k, c.k, c.ci, c.co] };
      const ref = run('cpu', 'Conv2DBackpropFilter', inputs, attrs);
      const got = run('wasm', 'Conv2DBackpropFilter', inputs, attrs);
      expect(relErr(got, ref)).toBeLessThan(1e-4);
    });

    // Every route of the input-gradient kernel, each forced through the thresholds: the
    // XNNPACK sub-pixel decomposition, the GEMM + col2im (strided layers only), and the stock
    // kernel used on small maps.
    const routes = [['sub-pixel', { smallMap: 0, gemmMinMap: Infinity }], ['stock fallback', { smallMap: 1e9, gemmMinMap: Infinity }]] as Array<[string, typeof tuning]>;
    if (c.s > 1) routes.push(['gemm', { smallMap: 0, gemmMinMap: 0 }]);
    for (const [route, forced] of routes) {
      it(`Conv2DBackpropInput ${label} (${route})`, () => {
        const inputs = { dy: [dy, [c.b, oh, ow, c.co]], filter: [f, [c.k, c.k, c.ci, c.co]] } as Record<string, [Float32Array, number[]]>;
        const attrs = { ...base, inputShape: [c.b, c.h, c.w, c.ci] };
        const ref = run('cpu', 'Conv2DBackpropInput', inputs, attrs);
        const saved = { ...tuning };
        Object.assign(tuning, forced);
        try {
          const got = run('wasm', 'Conv2DBackpropInput', inputs, attrs);
          expect(relErr(got, ref)).toBeLessThan(1e-4);
        } finally {
          Object.assign(tuning, saved);
        }
      });
    }
  }

  it('a conv layer gradient through tf.grad agrees between backends', () => {
    const rng = new Rng(7);
    const xv = randn(2 * 8 * 8 * 3, rng);
    const wv = randn(4 * 4 * 3 * 5, rng);
    const grads = (backend: string): [Float32Array, Float32Array] => {
      tf.setBackend(backend);
      return tf.tidy(() => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.leakyRelu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), 0.2))))([tf.tensor(xv, [2, 8, 8, 3]), tf.tensor(wv, [4, 4, 3, 5])]);
        return [g[0]!.dataSync() as Float32Array, g[1]!.dataSync() as Float32Array];
      });
    };
    const [cx, cw] = grads('cpu');
    const [wx, ww] = grads('wasm');
    expect(relErr(wx, cx)).toBeLessThan(1e-4);
    expect(relErr(ww, cw)).toBeLessThan(1e-4);
  });

  it('Conv2DBackpropInput reuses its cached sub-filters correctly (same filter, twice, then new data)', () => {
    const rng = new Rng(3);
    const c = { b: 1, h: 16, w: 16, ci: 8, co: 6, k: 4, s: 2 };
    const dy = randn(c.b * 8 * 8 * c.co, rng);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [c.b, c.h, c.w, c.ci] };
    for (const seed of [1, 2]) {
      const f = randn(c.k * c.k * c.ci * c.co, new Rng(seed));
      const ref = run('cpu', 'Conv2DBackpropInput', { dy: [dy, [1, 8, 8, c.co]], filter: [f, [4, 4, c.ci, c.co]] }, attrs);
      tf.setBackend('wasm');
      const got = tf.tidy(() => {
        const filter = tf.tensor(f, [4, 4, c.ci, c.co]);
        const d = tf.tensor(dy, [1, 8, 8, c.co]);
        const once = (tf.engine().runKernel('Conv2DBackpropInput', { dy: d, filter } as never, attrs as never) as tf.Tensor).dataSync() as Float32Array;
        const twice = (tf.engine().runKernel('Conv2DBackpropInput', { dy: d, filter } as never, attrs as never) as tf.Tensor).dataSync() as Float32Array;
        expect(twice).toEqual(once);
        return once;
      });
      expect(relErr(got, ref)).toBeLessThan(1e-4);
    }
  });

  it('Identity shares the buffer (no copy) and a clone outlives its source', () => {
    tf.setBackend('wasm');
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
  });
});
