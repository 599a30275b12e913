import { PortraitError } from '../../../src-shared/ipc/errors.js';

/** 11 frames x (color, correspondence, gaze) x RGB: the conditioning window of the paper. */
export const INPUT_CHANNELS = 99;
export const OUTPUT_CHANNELS = 3;

export type ProfileName = 'paper' | 'light' | 'cpu' | 'tiny';

export interface NetProfile {
  readonly name: ProfileName;
  /** square input/output side in pixels */
  readonly resolution: number;
  /** generator encoder widths, one per stride-2 level; the decoder mirrors them */
  readonly gWidths: readonly number[];
  /** how many of the first (innermost) decoder levels use dropout 0.5 */
  readonly dropoutLevels: number;
  /** the paper's two 3x3 conv + ReLU refinements after each up-convolution */
  readonly refine: boolean;
  /** discriminator widths; the first strideTwo layers halve the resolution, then stride 1 */
  readonly dWidths: readonly number[];
  readonly dStrideTwo: number;
  /** the batch size the profile is meant to train with */
  readonly batch: number;
}

/**
 * paper: Kim et al. 2018 — 256x256, pix2pix-style 8-level U-Net (64..512), 70x70 PatchGAN, batch 16.
 * light: 128x128, 7 levels with widths capped at 208 (12.9M generator params): a laptop preview.
 * cpu: sized by measurement so one G+D step at batch 1 takes <= ~0.29 s with the wasm backend
 *      (issue 7: 50 epochs x 2000 frames in 8 h). Measured CPU time per step, 2 shared cores:
 *      128px [16..96] 0.26-0.27 s; [16..128] 0.29-0.30 s; 64px [16..128] 0.15 s. 128 px is
 *      kept (faces need it) and widths trimmed. See bench/train.bench.ts.
 * tiny: for tests only.
 */
export const PROFILES: Readonly<Record<ProfileName, NetProfile>> = {
  paper: {
    name: 'paper', resolution: 256, gWidths: [64, 128, 256, 512, 512, 512, 512, 512],
    dropoutLevels: 3, refine: true, dWidths: [64, 128, 256, 512], dStrideTwo: 3, batch: 16,
  },
  light: {
    name: 'light', resolution: 128, gWidths: [64, 128, 208, 208, 208, 208, 208],
    dropoutLevels: 3, refine: true, dWidths: [64, 128, 208, 208], dStrideTwo: 3, batch: 4,
  },
  cpu: {
    name: 'cpu', resolution: 128, gWidths: [16, 32, 64, 96, 96, 96, 96],
    dropoutLevels: 3, refine: true, dWidths: [16, 32, 64, 64], dStrideTwo: 3, batch: 1,
  },
  tiny: {
    name: 'tiny', resolution: 16, gWidths: [8, 16, 16, 16],
    dropoutLevels: 1, refine: true, dWidths: [8, 16, 16], dStrideTwo: 2, batch: 2,
  },
};

export function getProfile(name: string): NetProfile {
  const p = (PROFILES as Record<string, NetProfile | undefined>)[name];
  if (!p) {
    throw new PortraitError('BAD_REQUEST', `Unknown network profile "${name}"; use one of ${Object.keys(PROFILES).join(', ')}`);
  }
  return p;
}

/** A short fingerprint of everything that shapes the weights: checkpoints must match it. */
export function profileSignature(p: NetProfile): string {
  return `${p.name}:${p.resolution}:g${p.gWidths.join('-')}:r${p.refine ? 1 : 0}:d${p.dWidths.join('-')}/${p.dStrideTwo}`;
}
