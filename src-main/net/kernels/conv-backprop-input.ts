import { backend_util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release, slice, type WasmHeap } from './wasm-call.js';

type Attrs = {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/** One spatial axis of the sub-pixel decomposition: which taps and dy rows feed output phase p. */
interface AxisPhase {
  /** number of filter taps that reach this phase */
  taps: number;
  /** first tap index in the flipped filter, then every s-th */
  flipBegin: number;
  /** dy index read for output m=0 by the first flipped tap (may be negative -> zero pad) */
  start: number;
}

/**
 * Routes by dy pixels (batch x rows x cols): at or below smallMap the stock kernel is faster;
 * strided layers from gemmMinMap on go through the GEMM: on the cpu profile's 4x4 stride-2
 * layers it took 1.4-5.8 ms where the sub-pixel route took 2.6-26 ms (same inputs, interleaved,
 * loaded 2-core machine); at stride 1 the sub-pixel route is one plain conv and wins (1.8 vs
 * 3.1 ms on 64x64x16 3x3). Mutable so tests can force each route.
 */
export const tuning = { smallMap: 16, gemmMinMap: 64 };

/** sub[t,u,o,i] = w[kyFlip(t), kxFlip(u), i, o] with flipped taps kFlip = k-1-(flipBegin + s*t). */
function gatherSubFilter(
  w: Float32Array, sub: Float32Array, kh: number, kw: number, ci: number, co: number, s: number, ay: AxisPhase, ax: AxisPhase,
): void {
  let o = 0;
  for (let t = 0; t < ay.taps; t++) {
    const ky = kh - 1 - (ay.flipBegin + s * t);
    for (let u = 0; u < ax.taps; u++) {
      const kx = kw - 1 - (ax.flipBegin + s * u);
      const base = (ky * kw + kx) * ci * co;
      for (let oc = 0; oc < co; oc++) {
        for (let ic = 0; ic < ci; ic++) sub[o++] = w[base + ic * co + oc]!;
      }
    }
  }
}

function axisPhase(p: number, s: number, k: number, pad: number): AxisPhase {
  const r = (p + pad) % s;
  const taps = Math.ceil((k - r) / s);
  const q = (p + pad - r) / s;
  return { taps, flipBegin: k - 1 - r - s * (taps - 1), start: q - (taps - 1) };
}

type Plan = { ay: AxisPhase; ax: AxisPhase; sub: TensorInfo };
/**
 * Sub-filters by filter data: one step uses each weight in several input gradients (D's layers
 * in G's pass and in D's real and fake passes) and each sub-filter keeps the same data id, so
 * wasm's Conv2D also finds its packed XNNPACK operator (it caches them by filter id) instead
 * of repacking. Entries go once their filter's data is gone (weights are replaced each step).
 */
const subFilterCache = new Map<object, { backend: KernelBackend; byKey: Map<string, Plan[]> }>();

function sweep(backend: KernelBackend): void {
  const live = (backend as unknown as { dataIdMap: { has(id: object): boolean } }).dataIdMap;
  for (const [id, e] of subFilterCache) {
    if (e.backend !== backend || live.has(id)) continue;
    for (const plans of e.byKey.values()) release(backend, ...plans.map((p) => p.sub));
    subFilterCache.delete(id);
  }
}

function subFilters(
  wb: WasmHeap, backend: KernelBackend, filter: TensorInfo, kh: number, kw: number, ci: number, co: number, s: number, padTop: number, padLeft: number,
): Plan[] {
  const key = `${kh}x${kw}x${ci}x${co}/${s}/${padTop},${padLeft}`;
  const hit = subFilterCache.get(filter.dataId)?.byKey.get(key);
  if (hit) return hit;
  sweep(backend);
  const plans: Plan[] = [];
  for (let py = 0; py < s; py++) {
    const ay = axisPhase(py, s, kh, padTop);
    for (let px = 0; px < s; px++) {
      const ax = axisPhase(px, s, kw, padLeft);
      plans.push({ ay, ax, sub: wb.makeOutput([ay.taps, ax.taps, co, ci], 'float32') });
    }
  }
  // Heap views only after every allocation: growing the wasm memory detaches older views.
  const w = wb.typedArrayFromHeap(filter);
  for (const { ay, ax, sub } of plans) gatherSubFilter(w, wb.typedArrayFromHeap(sub), kh, kw, ci, co, s, ay, ax);
  let e = subFilterCache.get(filter.dataId);
  if (!e) subFilterCache.set(filter.dataId, (e = { backend, byKey: new Map() }));
  e.byKey.set(key, plans);
  return plans;
}

/**
 * The filter as [co, kh*kw*ci] (row co = every weight feeding output channel co), by filter
 * data: one step uses each weight in several input gradients (D's layers in G's pass and in
 * D's real and fake passes). Entries go once their filter's data is gone (weights are
 * replaced each step).
 */
const transposedFilters = new Map<object, { backend: KernelBackend; t: TensorInfo }>();

function sweepTransposed(backend: KernelBackend): void {
  const live = (backend as unknown as { dataIdMap: { has(id: object): boolean } }).dataIdMap;
  for (const [id, e] of transposedFilters) {
    if (e.backend !== backend || live.has(id)) continue;
    release(backend, e.t);
    transposedFilters.delete(id);
  }
}

function transposedFilter(heap: WasmHeap, backend: KernelBackend, filter: TensorInfo, K: number, co: number): TensorInfo {
  const hit = transposedFilters.get(filter.dataId);
  if (hit && hit.backend === backend) return hit.t;
  sweepTransposed(backend);
  const t = heap.makeOutput([1, co, K], 'float32');
  const w = heap.typedArrayFromHeap(filter);
  const d = heap.typedArrayFromHeap(t);
  for (let k = 0; k < K; k++) for (let o = 0; o < co; o++) d[o * K + k] = w[k * co + o]!;
  transposedFilters.set(filter.dataId, { backend, t });
  return t;
}

/**
 * The GEMM route: cols = dy [P x co] times the filter as [co x kh*kw*ci] (XNNPACK), then each
 * dy pixel's row is scattered and summed into dx (col2im, P*kh*kw*ci additions).
 */
function gemmBackpropInput(backend: KernelBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const heap = backend as unknown as WasmHeap;
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: ci, outChannels: co } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const pT = info.padInfo.top;
  const pL = info.padInfo.left;
  const K = kh * kw * ci;
  const P = B * oh * ow;
  // dy is the fresh operand (XNNPACK packs its second operand; the filter's packing is kept).
  const wT = transposedFilter(heap, backend, filter, K, co);
  const dyM = callKernel(backend, 'Reshape', { x: dy }, { shape: [1, P, co] });
  const cols = callKernel(backend, 'BatchMatMul', { a: dyM, b: wT }, { transposeA: false, transposeB: false });
  release(backend, dyM);
  const dx = heap.makeOutput([B, H, W, ci], 'float32');
  const cv = heap.typedArrayFromHeap(cols);
  const out = heap.typedArrayFromHeap(dx);
  out.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const row = ((b * oh + oy) * ow + ox) * K;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - pT;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - pL;
            if (ix < 0 || ix >= W) continue;
            let s = row + (ky * kw + kx) * ci;
            let d = ((b * H + iy) * W + ix) * ci;
            for (let c = 0; c < ci; c++) out[d++]! += cv[s++]!;
          }
        }
      }
    }
  }
  release(backend, cols);
  return dx;
}

/**
 * Conv2DBackpropInput (also the forward op of conv2dTranspose) for wasm. The stock wasm kernel
 * is a scalar loop ~12x slower than XNNPACK's conv. Sub-pixel decomposition: output pixels of
 * phase (py,px) (y = py + s*m) see only the taps ky = r + s*j, so each phase is one dense
 * stride-1 conv of dy with a flipped, strided slice of the filter; `DepthToSpace` interleaves
 * the s*s phases. Same FLOPs as the ideal transposed conv, none spent on inserted zeros.
 * Shapes it cannot decompose evenly go to the stock kernel.
 */
export function makeConv2DBackpropInputWasm(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const backend = args.backend as KernelBackend;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as Attrs;
    if (a.dataFormat === 'NCHW') return fallback(args);
    const info = backend_util.computeConv2DInfo(
      a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast',
    );
    const { batchSize: b, inHeight: H, inWidth: W, inChannels: ci, outChannels: co } = info;
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
    if (sh !== sw || H % sh !== 0 || W % sw !== 0 || kh < sh || kw < sw) return fallback(args);
    // On tiny maps (a U-Net's inner levels) repacking the weights for XNNPACK on every call costs
    // more than the scalar loop's whole work (measured, 4x4 k4 s2 dy: stock 1x1 0.1 ms vs 2.7 ms,
    // 4x4 128<-256 8.7 vs 12.9; from 8x8 on XNNPACK wins, 8x8 64<-256 4.7 vs 20.3).
    if (b * oh * ow <= tuning.smallMap) return fallback(args);
    if (sh > 1 && b * oh * ow >= tuning.gemmMinMap) return gemmBackpropInput(backend, dy, filter, info);
    const M = H / sh;
    const N = W / sw;

    // Per-phase flipped, channel-swapped sub-filters, gathered in JS: wasm's Reverse and
    // StridedSlice are generic scalar loops (~17 ms each on a 4x4x128x256 filter).
    const wb = backend as unknown as WasmHeap;
    const plans = subFilters(wb, backend, filter, kh, kw, ci, co, sh, info.padInfo.top, info.padInfo.left);

    const phases: TensorInfo[] = [];
    for (const { ay, ax, sub } of plans) {
      // Rows of dy read: [start, start + M + taps - 1); out-of-range rows are zero padding.
      const y0 = ay.start;
      const y1 = ay.start + M + ay.taps - 1;
      const x0 = ax.start;
      const x1 = ax.start + N + ax.taps - 1;
      const cy0 = Math.max(0, y0);
      const cy1 = Math.min(oh, y1);
      const cx0 = Math.max(0, x0);
      const cx1 = Math.min(ow, x1);
      if (cy1 <= cy0 || cx1 <= cx0) {
        release(backend, ...phases);
        return fallback(args);
      }
      const needSlice = cy0 !== 0 || cy1 !== oh || cx0 !== 0 || cx1 !== ow;
      const src = needSlice ? slice(backend, dy, [0, cy0, cx0, 0], [b, cy1 - cy0, cx1 - cx0, co]) : dy;
      const conv = callKernel(backend, 'Conv2D', { x: src, filter: sub }, {
        strides: [1, 1],
        pad: [[0, 0], [cy0 - y0, y1 - cy1], [cx0 - x0, x1 - cx1], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      });
      if (needSlice) release(backend, src);
      phases.push(conv);
    }
    if (phases.length === 1) return phases[0] as TensorInfo;
    const packed = callKernel(backend, 'Concat', phases, { axis: 3 });
    release(backend, ...phases);
    const out = callKernel(backend, 'DepthToSpace', { x: packed }, { blockSize: sh, dataFormat: 'NHWC' });
    release(backend, packed);
    return out;
  };
}

/** `stock` keeps its setupFunc: the stock kernel binds its wasm export when the backend starts. */
export function conv2DBackpropInputWasmConfig(stock: KernelConfig): KernelConfig {
  const cfg: KernelConfig = { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: makeConv2DBackpropInputWasm(stock.kernelFunc) };
  if (stock.setupFunc) cfg.setupFunc = stock.setupFunc;
  return cfg;
}
