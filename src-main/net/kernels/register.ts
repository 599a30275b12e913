import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterWasmConfig } from './conv-backprop-filter.js';
import { conv2DBackpropInputWasmConfig } from './conv-backprop-input.js';
import { identityWasmConfig } from './identity.js';

let registered = false;

/**
 * Gives the wasm backend what a G+D training step needs beyond the stock kernels.
 * Found by running a full step on wasm: only Conv2DBackpropFilter is missing outright
 * (LeakyRelu/Relu/Tanh/BatchNorm grads decompose into ops wasm has); Conv2DBackpropInput
 * exists but is a scalar loop, so it is replaced by an XNNPACK-backed one. Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  if (!getKernel('Conv2DBackpropFilter', 'wasm')) registerKernel(conv2DBackpropFilterWasmConfig);
  const stock = getKernel('Conv2DBackpropInput', 'wasm');
  if (stock) {
    unregisterKernel('Conv2DBackpropInput', 'wasm');
    registerKernel(conv2DBackpropInputWasmConfig(stock));
  }
  // Not a missing kernel but a cost: the copy the stock Identity makes of every tensor the
  // gradient tape saves (see identity.ts).
  const identity = getKernel('Identity', 'wasm');
  if (identity) {
    unregisterKernel('Identity', 'wasm');
    registerKernel(identityWasmConfig(identity));
  }
  registered = true;
}
