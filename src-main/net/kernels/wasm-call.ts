import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Calls another wasm kernel directly, below the engine: composite kernels must not create
 * engine tensors (they would be taped and ref-counted twice). Each returned TensorInfo is
 * owned by the caller and must be released with `release`.
 */
export function callKernel(
  backend: KernelBackend,
  name: string,
  inputs: Record<string, TensorInfo> | TensorInfo[],
  attrs: Record<string, unknown>,
): TensorInfo {
  const cfg = getKernel(name, 'wasm');
  if (!cfg) throw new Error(`wasm kernel ${name} is not registered`);
  const out = cfg.kernelFunc({ inputs: inputs as never, backend, attrs: attrs as NamedAttrMap });
  return Array.isArray(out) ? (out[0] as TensorInfo) : out;
}

export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

export function reshape(backend: KernelBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return callKernel(backend, 'Reshape', { x }, { shape });
}

export function transpose(backend: KernelBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return callKernel(backend, 'Transpose', { x }, { perm });
}

export function slice(backend: KernelBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  return callKernel(backend, 'Slice', { x }, { begin, size });
}

/** The wasm backend's own view of its heap (not in its public typings). */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  /** Views detach when the heap grows: take them after the last allocation that precedes their use. */
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}
