/**
 * The tensor backends, declared once (issue 18), fastest first: the contract's enums, the
 * selection order and its report, the GPU recommendation and the CLI's --backend read this table.
 */
export const BACKENDS = {
  'tfjs-node-gpu': { gpu: true, description: 'native TensorFlow with CUDA' },
  webgpu: { gpu: true, description: 'WebGPU on the GPU (Dawn; unverified for training in this project, see src-main/net/GPU.md)' },
  'tfjs-node': { gpu: false, description: 'native TensorFlow on the CPU' },
  wasm: { gpu: false, description: 'WebAssembly (XNNPACK, SIMD, 1 thread) with Portrait Studio training kernels' },
  cpu: { gpu: false, description: 'pure JavaScript (slow: training the paper profile is impractical)' },
} as const satisfies Record<string, { gpu: boolean; description: string }>;

export type BackendId = keyof typeof BACKENDS;
/** Fastest first: CUDA, any GPU through WebGPU (Dawn: Vulkan/Metal/D3D12), native CPU, wasm, JS. */
export const BACKEND_IDS = Object.keys(BACKENDS) as [BackendId, ...BackendId[]];
