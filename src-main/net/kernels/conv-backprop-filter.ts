import { backend_util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release, reshape, slice, transpose } from './wasm-call.js';

/**
 * Conv2DBackpropFilter for the wasm backend, which ships no such kernel (so it cannot train).
 *
 * dW[ky,kx,ci,co] = sum_{b,oy,ox} x[b, oy*s+ky-pT, ox*s+kx-pL, ci] * dy[b,oy,ox,co]
 * is a stride-1 convolution *dilated by s* of x (channels <-> batch swapped: [ci,H,W,b])
 * with dy as the filter ([oh,ow,b,co]); the output [ci,kh,kw,co] is transposed back.
 * This runs on XNNPACK's conv, ~700x faster than the cpu backend's scalar loop.
 */
/** Inputs whose channel-major transpose is kept between filter-gradient calls (see pinFilterGradInput). */
const pinned = new Map<object, { backend: KernelBackend; t: TensorInfo } | null>();

/**
 * Keeps the transposed copy of tensor data `dataId` across Conv2DBackpropFilter calls until the
 * returned function is called. A training step takes two filter gradients of its 99-channel
 * input (G's first layer and D's window layer); the transpose is ~1/3 of each. Explicit
 * pinning, not a cache: the copy's lifetime is the caller's step, never longer.
 */
export function pinFilterGradInput(dataId: object): () => void {
  if (!pinned.has(dataId)) pinned.set(dataId, null);
  return () => {
    const e = pinned.get(dataId);
    if (e) release(e.backend, e.t);
    pinned.delete(dataId);
  };
}

export const conv2DBackpropFilterWasm: KernelFunc = (args) => {
  const { inputs, attrs } = args;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const backend = args.backend as KernelBackend;
  const a = attrs as unknown as {
    strides: number | [number, number];
    pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast',
  );
  const { batchSize: b, inHeight: H, inWidth: W, inChannels: ci, outChannels: co } = info;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const pT = info.padInfo.top;
  const pL = info.padInfo.left;
  // Pad only as far as the last tap reads; a negative amount means trailing input is never read.
  const pB = Math.max(0, (oh - 1) * sh + kh - H - pT);
  const pR = Math.max(0, (ow - 1) * sw + kw - W - pL);

  const pin = pinned.get(x.dataId);
  let xCHWB: TensorInfo;
  if (pin && pin.backend === backend) {
    xCHWB = pin.t;
  } else {
    const xT = b === 1 ? reshape(backend, x, [1, H, W, ci]) : null;
    xCHWB = b === 1 ? transpose(backend, xT as TensorInfo, [3, 1, 2, 0]) : transpose(backend, x, [3, 1, 2, 0]);
    if (xT) release(backend, xT);
    if (pinned.has(x.dataId)) pinned.set(x.dataId, { backend, t: xCHWB });
  }
  const dyF = b === 1 ? reshape(backend, dy, [oh, ow, 1, co]) : transpose(backend, dy, [1, 2, 0, 3]);
  const conv = callKernel(backend, 'Conv2D', { x: xCHWB, filter: dyF }, {
    strides: [1, 1],
    pad: [[0, 0], [pT, pB], [pL, pR], [0, 0]],
    dataFormat: 'NHWC',
    dilations: [sh, sw],
    dimRoundingMode: undefined,
  });
  if (!pinned.get(x.dataId)) release(backend, xCHWB);
  release(backend, dyF);
  let cropped = conv;
  if (conv.shape[1] !== kh || conv.shape[2] !== kw) {
    cropped = slice(backend, conv, [0, 0, 0, 0], [ci, kh, kw, co]);
    release(backend, conv);
  }
  const out = transpose(backend, cropped, [1, 2, 0, 3]);
  release(backend, cropped);
  return out;
};

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm,
};
