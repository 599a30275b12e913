import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Identity for wasm without the copy. While gradients are recorded, the engine clones every
 * tensor a kernel saves for its backward pass (engine.saveTensorsForBackwardMode), and the stock
 * wasm Identity copies the buffer: ~600 copies, ~13 M floats (53 MB) per cpu-profile step,
 * ~16 ms of ~310. Tensors are immutable, so sharing the buffer under a reference count is
 * what the cpu backend's Identity and wasm's own Reshape already do.
 */
export function makeIdentityWasm(stock: KernelFunc): KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    if (x.dtype === 'string') return stock(args);
    (args.backend as KernelBackend & { incRef(id: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

export function identityWasmConfig(stock: KernelConfig): KernelConfig {
  const cfg: KernelConfig = { kernelName: 'Identity', backendName: 'wasm', kernelFunc: makeIdentityWasm(stock.kernelFunc) };
  if (stock.setupFunc) cfg.setupFunc = stock.setupFunc;
  return cfg;
}
