import os from 'node:os';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { BackendId } from '../backend/select.js';
import { countParams, discriminatorParams, generatorParams } from '../model/params.js';
import { INPUT_CHANNELS, OUTPUT_CHANNELS, type NetProfile } from '../model/profiles.js';

export interface MemoryEstimate {
  paramsBytes: number;
  /** Adam moments + master weights (in JS memory with the wasm/cpu backends) */
  optimizerBytes: number;
  /** gradients, pre-update copies, XNNPACK's packed weights, allocator slack */
  workspaceBytes: number;
  activationBytes: number;
  /** what the tensor backend itself holds (the wasm heap): all but the optimizer */
  backendBytes: number;
  totalBytes: number;
  batch: number;
}

/** wasm32 can address 4 GiB; leave room for the module and fragmentation. */
const WASM_LIMIT = 3.5 * 2 ** 30;

/**
 * Float count of activations one sample keeps alive through a G+D step. Each layer keeps about
 * (conv out, norm out, activation out) for backprop; decoder levels add dropout and two
 * refinement convs; D runs three times per step (real, fake for D, fake for G). The 2.2 factor
 * (gradients in flight) is calibrated on the wasm heap: light 150 MiB/sample, paper 650.
 */
function activationFloatsPerSample(p: NetProfile): number {
  const R = p.resolution;
  let g = R * R * (INPUT_CHANNELS + OUTPUT_CHANNELS * 3);
  const L = p.gWidths.length;
  for (let i = 0; i < L; i++) g += 3 * (R >> (i + 1)) ** 2 * p.gWidths[i]!;
  for (let j = 0; j < L - 1; j++) {
    const side = R >> (L - 1 - j);
    const c = p.gWidths[L - 2 - j]!;
    g += side * side * (c * (p.refine ? 10 : 4) + 2 * c);
  }
  let d = R * R * (INPUT_CHANNELS + OUTPUT_CHANNELS);
  for (let k = 0; k < p.dWidths.length; k++) d += 3 * (R >> Math.min(k + 1, p.dStrideTwo)) ** 2 * p.dWidths[k]!;
  return 2.2 * (g + 3 * d);
}

/**
 * Calibrated against the wasm heap after two steps: light batch 1/4 538/988 MiB, paper
 * batch 1 2770 MiB; this model gives 533/993/2737 (backendBytes).
 */
export function estimateMemory(p: NetProfile, batch: number): MemoryEstimate {
  const params = countParams(generatorParams(p)) + countParams(discriminatorParams(p));
  const paramsBytes = params * 4;
  const optimizerBytes = params * 4 * 3;
  const workspaceBytes = params * 4 * 6;
  const activationBytes = Math.ceil(activationFloatsPerSample(p) * 4 * batch);
  const backendBytes = paramsBytes + workspaceBytes + activationBytes;
  return { paramsBytes, optimizerBytes, workspaceBytes, activationBytes, backendBytes, totalBytes: backendBytes + optimizerBytes, batch };
}

export function memoryLimitBytes(backend: BackendId): number {
  const ram = os.totalmem() * 0.7;
  return backend === 'wasm' ? Math.min(WASM_LIMIT, ram) : ram;
}

export interface MemoryCheck {
  ok: boolean;
  estimate: MemoryEstimate;
  limitBytes: number;
  /** largest batch that fits (0: not even one sample) */
  maxBatch: number;
  message: string;
}

export function checkMemory(p: NetProfile, batch: number, backend: BackendId, limitBytes = memoryLimitBytes(backend)): MemoryCheck {
  const estimate = estimateMemory(p, batch);
  // wasm's 4 GiB bounds its heap; the optimizer lives in JS memory beside it.
  const need = (e: MemoryEstimate): number => (backend === 'wasm' ? e.backendBytes : e.totalBytes);
  const perSample = estimate.activationBytes / batch;
  const fixed = need(estimate) - estimate.activationBytes;
  const maxBatch = Math.max(0, Math.floor((limitBytes - fixed) / perSample));
  const gib = (x: number): string => `${(x / 2 ** 30).toFixed(2)} GiB`;
  const ok = need(estimate) <= limitBytes;
  const message = ok
    ? `Profile "${p.name}" at batch ${batch} needs about ${gib(need(estimate))} of ${gib(limitBytes)} available on ${backend}`
    : maxBatch > 0
      ? `Profile "${p.name}" at batch ${batch} needs about ${gib(need(estimate))} but ${backend} has ${gib(limitBytes)}; use batch ${maxBatch} or less`
      : `Profile "${p.name}" needs about ${gib(fixed + perSample)} even at batch 1 but ${backend} has ${gib(limitBytes)}; choose a smaller profile`;
  return { ok, estimate, limitBytes, maxBatch, message };
}

/** Throws a PortraitError (UNSUPPORTED) with the suggestion when the batch does not fit. */
export function ensureFits(p: NetProfile, batch: number, backend: BackendId, limitBytes?: number): MemoryCheck {
  const c = checkMemory(p, batch, backend, limitBytes);
  if (!c.ok) throw new PortraitError('UNSUPPORTED', c.message, { maxBatch: c.maxBatch, estimate: c.estimate, limitBytes: c.limitBytes });
  return c;
}
