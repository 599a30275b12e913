import os from 'node:os';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { BackendId } from '../backend/select.js';
import { countParams, discriminatorParams, generatorParams } from '../model/params.js';
import { INPUT_CHANNELS, OUTPUT_CHANNELS, type NetProfile } from '../model/profiles.js';

export interface MemoryEstimate {
  paramsBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  totalBytes: number;
  batch: number;
}

/** wasm32 can address 4 GiB; leave room for the module and fragmentation. */
const WASM_LIMIT = 3.5 * 2 ** 30;

/**
 * Float count of activations one sample keeps alive through a G+D step. Each layer keeps about
 * (conv out, norm out, activation out) for backprop; decoder levels add dropout and two
 * refinement convs; D runs three times per step (real, fake for D, fake for G). A deliberate
 * over-estimate (x1.5 for gradients in flight) so that "fits" means fits.
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
  return 1.5 * (g + 3 * d);
}

export function estimateMemory(p: NetProfile, batch: number): MemoryEstimate {
  const params = countParams(generatorParams(p)) + countParams(discriminatorParams(p));
  const paramsBytes = params * 4;
  // Adam's two moments, plus one gradient set alive during the update.
  const optimizerBytes = params * 4 * 3;
  const activationBytes = Math.ceil(activationFloatsPerSample(p) * 4 * batch);
  return { paramsBytes, optimizerBytes, activationBytes, totalBytes: paramsBytes + optimizerBytes + activationBytes, batch };
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
  const fixed = estimate.paramsBytes + estimate.optimizerBytes;
  const perSample = estimate.activationBytes / batch;
  const maxBatch = Math.max(0, Math.floor((limitBytes - fixed) / perSample));
  const gib = (x: number): string => `${(x / 2 ** 30).toFixed(2)} GiB`;
  const ok = estimate.totalBytes <= limitBytes;
  const message = ok
    ? `Profile "${p.name}" at batch ${batch} needs about ${gib(estimate.totalBytes)} of ${gib(limitBytes)} available on ${backend}`
    : maxBatch > 0
      ? `Profile "${p.name}" at batch ${batch} needs about ${gib(estimate.totalBytes)} but ${backend} has ${gib(limitBytes)}; use batch ${maxBatch} or less`
      : `Profile "${p.name}" needs about ${gib(fixed + perSample)} even at batch 1 but ${backend} has ${gib(limitBytes)}; choose a smaller profile`;
  return { ok, estimate, limitBytes, maxBatch, message };
}

/** Throws a PortraitError (UNSUPPORTED) with the suggestion when the batch does not fit. */
export function ensureFits(p: NetProfile, batch: number, backend: BackendId, limitBytes?: number): MemoryCheck {
  const c = checkMemory(p, batch, backend, limitBytes);
  if (!c.ok) throw new PortraitError('UNSUPPORTED', c.message, { maxBatch: c.maxBatch, estimate: c.estimate, limitBytes: c.limitBytes });
  return c;
}
