import os from 'node:os';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { BackendId } from '../backend/select.js';
import { countParams, discriminatorParams, generatorParams } from '../model/params.js';
import { inputChannels, OUTPUT_CHANNELS, type NetProfile } from '../model/profiles.js';
import { generatorLayers } from '../model/generator-topology.js';

export interface MemoryEstimate {
  paramsBytes: number;
  /** Adam moments + master weights, and G's EMA when kept (in JS memory with the wasm/cpu backends) */
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
 * Float count of activations one sample keeps alive through a G+D step, from the generator's
 * declared layers (topology.ts). Each encoder layer keeps about (conv out, norm out, activation
 * out) for backprop; inner decoder levels add dropout and the refinement convs (4 maps per
 * level, 10 with refinement, + 2); a resize-conv level also keeps its input upsampled 2x (the
 * 3x3 conv's saved input, and the intermediate of the two-step upsample). D runs three times
 * per step (real, fake for D, fake for G), not at all with advWeight 0. The 2.2 factor
 * (gradients in flight) is calibrated on the wasm heap: light 150 MiB/sample, paper 650.
 */
function activationFloatsPerSample(p: NetProfile): number {
  const R = p.resolution;
  let g = R * R * (inputChannels(p) + OUTPUT_CHANNELS * 3);
  for (const l of generatorLayers(p)) {
    const area = l.outSide * l.outSide;
    const c = l.outChannels;
    if (l.kind === 'down') g += 3 * area * c;
    else {
      if (!l.last) g += area * (c * (l.refine.length ? 10 : 4) + 2 * c);
      if (l.upsample === 'resize-conv') g += 2 * area * l.inChannels;
    }
  }
  let d = R * R * (inputChannels(p) + OUTPUT_CHANNELS);
  for (let k = 0; k < p.dWidths.length; k++) d += 3 * (R >> Math.min(k + 1, p.dStrideTwo)) ** 2 * p.dWidths[k]!;
  return 2.2 * (g + (p.advWeight > 0 ? 3 * d : 0));
}

/**
 * Calibrated against the wasm heap after two steps: light batch 1/4 538/988 MiB, paper
 * batch 1 2770 MiB; this model gives 533/993/2737 (backendBytes).
 */
export function estimateMemory(p: NetProfile, batch: number): MemoryEstimate {
  const gParams = countParams(generatorParams(p));
  const params = gParams + countParams(discriminatorParams(p));
  const paramsBytes = params * 4;
  const optimizerBytes = params * 4 * 3 + (p.emaDecay > 0 ? gParams * 4 : 0);
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
