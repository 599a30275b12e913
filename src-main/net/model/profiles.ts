import { z } from 'zod';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { ProfileName } from '../../../src-shared/net/profiles.js';
import { REFERENCE_EXCLUSION_FRAMES } from '../../../src-shared/conditioning/window/reference.js';

/** 11 frames x (color, correspondence, gaze) x RGB: the conditioning window of the paper. */
export const INPUT_CHANNELS = 99;
export const OUTPUT_CHANNELS = 3;
/** RGB of the reference frame appended after the window (profile option reference). */
export const REFERENCE_CHANNELS = 3;

/**
 * Version of the network definition (forward, parameter layout, training objective). Written
 * into every checkpoint header; checkpoints from before the field existed are version 1.
 * Version 2 added the profile options below (resize-conv upsampling, EMA weights, loss
 * weights, learning-rate schedule); every existing profile keeps its version-1 topology.
 * Version 3: the cpu profile keeps an EMA of G's weights by default (its signature gained
 * emaDecay=0.999; its version-2 checkpoints resume under it, see weightSignature), so an app of
 * version 2 says "update the app" for a new cpu checkpoint instead of a profile mismatch;
 * and the reference option (a real frame of the actor as 3 more input channels).
 * Version 4: the reference option's unwrapped-texture mode and the residual output (an app of
 * version 3 says "update the app" for such a checkpoint instead of rejecting its variant).
 * Version 5: the reference option's local-texture mode.
 * Version 6: the reference option's local-texture-posed mode, and the trainingExclusion option.
 * Bump it, and the profile's entry in TOPOLOGY_CHANGED_IN, when a profile's generator or
 * discriminator changes in a way its signature does not show.
 */
export const NETWORK_VERSION = 6;

export type { ProfileName };
export type UpsampleMode = 'transposed' | 'resize-conv';
export type LrSchedule = 'constant' | 'cosine';
/**
 * Real appearance as input. none: the conditioning window alone (the paper). nearest-params:
 * the training crop whose tracked parameters are nearest to the frame's (more than
 * REFERENCE_EXCLUSION_FRAMES away from it, so training never shows the network its own
 * answer) is appended as 3 more channels, so the network corrects a real frame of the actor
 * rather than inventing skin, hair and background. mean-of-4-nearest: the mean of the 4 such
 * crops, which changes less from one frame to the next (one nearest frame flickers).
 * mean-of-4-nearest-face: the same, chosen by expression, gaze and blinks only (not head
 * pose), so the head pose must come from the conditioning and pose edits keep working.
 * unwrapped-texture (network version 4): training crops averaged in the face model's surface
 * coordinates, drawn onto the frame's own geometry over the mean crop, so the real appearance
 * follows pose, expression and edits (src-shared/conditioning/window/texture.ts).
 * local-texture (network version 5): the same, with the texture of the training frames nearest
 * to the frame's parameters blended over the average (sharper, and it follows expression).
 * local-texture-posed (network version 6): the local texture inside the face and, outside it,
 * the mean of the training crops nearest in head pose instead of the one mean crop, so hair,
 * ears and shoulders follow a head-pose edit as far as the footage shows that pose.
 */
export type ReferenceMode = 'none' | 'nearest-params' | 'mean-of-4-nearest' | 'mean-of-4-nearest-face' | 'unwrapped-texture' | 'local-texture' | 'local-texture-posed';

/**
 * Options of the renderer ablations (network version 2). The defaults are the behaviour of
 * version 1, so profiles that leave them alone train and load exactly as before.
 */
export interface ProfileOptions {
  /**
   * Decoder upsampling. transposed: 4x4 stride-2 transposed conv (pix2pix, the paper).
   * resize-conv: nearest-neighbour 2x, then a 3x3 conv (no checkerboard; Odena et al. 2016).
   */
  readonly upsample: UpsampleMode;
  /** decay of an exponential moving average of G's weights (0 = off); used for inference when on */
  readonly emaDecay: number;
  /** weight of the adversarial term in G's objective; 0 = L1 only, and D is not trained at all */
  readonly advWeight: number;
  /** weight of the L1 reconstruction term (the paper: 100) */
  readonly l1Weight: number;
  /** Adam learning rate of G and D (pix2pix: 2e-4) */
  readonly lr: number;
  /** constant, or cosine from lr (step 1) to 0 (step scheduleSteps + 1, and after) */
  readonly lrSchedule: LrSchedule;
  /** length of the cosine schedule in steps; unused with constant */
  readonly scheduleSteps: number;
  /** a real frame of the actor as input beside the window (network version 3) */
  readonly reference: ReferenceMode;
  /**
   * The output is the reference plus a learned correction (tanh, its last layer zero at the
   * start), so an untrained network already draws the reference and training can only start
   * from there (network version 4; needs a reference).
   */
  readonly residual: boolean;
  /**
   * With a reference: training frames never draw on training frames this close to them (the
   * reference index's exclusion while training; rendering and evaluation keep
   * REFERENCE_EXCLUSION_FRAMES). Larger makes a training frame's reference as poor as a held-out
   * frame's, so the network learns the corrections held-out frames need (network version 6).
   */
  readonly trainingExclusion: number;
}

export const DEFAULT_OPTIONS: ProfileOptions = {
  upsample: 'transposed',
  emaDecay: 0,
  advWeight: 1,
  l1Weight: 100,
  lr: 2e-4,
  lrSchedule: 'constant',
  scheduleSteps: 0,
  reference: 'none',
  residual: false,
  trainingExclusion: REFERENCE_EXCLUSION_FRAMES,
};
/** The option keys in the order they appear in signatures. */
export const OPTION_KEYS = Object.keys(DEFAULT_OPTIONS) as (keyof ProfileOptions)[];

export interface NetProfile extends ProfileOptions {
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
    dropoutLevels: 3, refine: true, dWidths: [64, 128, 256, 512], dStrideTwo: 3, batch: 16, ...DEFAULT_OPTIONS,
  },
  light: {
    name: 'light', resolution: 128, gWidths: [64, 128, 208, 208, 208, 208, 208],
    dropoutLevels: 3, refine: true, dWidths: [64, 128, 208, 208], dStrideTwo: 3, batch: 4, ...DEFAULT_OPTIONS,
  },
  cpu: {
    name: 'cpu', resolution: 128, gWidths: [16, 32, 64, 96, 96, 96, 96],
    dropoutLevels: 3, refine: true, dWidths: [16, 32, 64, 64], dStrideTwo: 3, batch: 1, ...DEFAULT_OPTIONS,
    // Issue 14's ablations (franck, held-out face PSNR): +0.22 dB at 10 min, +0.10 dB and
    // +0.6 dB on the whole crop at 30 min, identity 0.748 vs 0.712, at no measurable step cost.
    emaDecay: 0.999,
    // Not the default (issue 14, 60-minute protocol): reference 'unwrapped-texture' with the
    // residual output gains face PSNR (+0.33 / +0.51 dB) and identity, but loses sharpness,
    // whole-crop PSNR and head-turn edits (+15 deg yaw re-tracked as +8.7 against +13.6).
  },
  tiny: {
    name: 'tiny', resolution: 16, gWidths: [8, 16, 16, 16],
    dropoutLevels: 1, refine: true, dWidths: [8, 16, 16], dStrideTwo: 2, batch: 2, ...DEFAULT_OPTIONS,
  },
};

/**
 * The network version in which each profile's own topology last changed (widths, levels,
 * layer order: anything a version-1 checkpoint of it would not fit). All 1 so far.
 */
const TOPOLOGY_CHANGED_IN: Readonly<Record<ProfileName, number>> = { paper: 1, light: 1, cpu: 1, tiny: 1 };

/**
 * The oldest network version whose checkpoints fit this profile (variant): its entry in
 * TOPOLOGY_CHANGED_IN, raised to 2 by the resize-conv decoder (which version 1 did not have).
 */
export function requiredNetworkVersion(p: NetProfile): number {
  let v = TOPOLOGY_CHANGED_IN[p.name] ?? 1;
  if (p.upsample === 'resize-conv') v = Math.max(v, 2);
  if (p.reference !== 'none') v = Math.max(v, 3);
  if (p.reference === 'unwrapped-texture' || p.residual) v = Math.max(v, 4);
  if (p.reference === 'local-texture') v = Math.max(v, 5);
  if (p.reference === 'local-texture-posed' || p.trainingExclusion !== REFERENCE_EXCLUSION_FRAMES) v = Math.max(v, 6);
  return v;
}

/** Channels of the network's input: the window, and the reference frame when the profile takes one. */
export function inputChannels(p: Pick<NetProfile, 'reference'>): number {
  return INPUT_CHANNELS + (p.reference === 'none' ? 0 : REFERENCE_CHANNELS);
}

/** Environment variable with experiment overrides of the profile options (a JSON object). */
export const PROFILE_OVERRIDES_ENV = 'PORTRAIT_PROFILE_OVERRIDES';

const Overrides = z
  .object({
    upsample: z.enum(['transposed', 'resize-conv']),
    emaDecay: z.number().min(0).lt(1),
    advWeight: z.number().min(0).finite(),
    l1Weight: z.number().min(0).finite(),
    lr: z.number().positive().finite(),
    lrSchedule: z.enum(['constant', 'cosine']),
    scheduleSteps: z.number().int().min(0),
    reference: z.enum(['none', 'nearest-params', 'mean-of-4-nearest', 'mean-of-4-nearest-face', 'unwrapped-texture', 'local-texture', 'local-texture-posed']),
    residual: z.boolean(),
    trainingExclusion: z.number().int().min(0),
  })
  .partial()
  .strict();
export type ProfileOverrides = Partial<ProfileOptions>;

/** Parses and validates a JSON object of option overrides; BAD_REQUEST naming `source` if invalid. */
export function parseProfileOverrides(json: string | undefined, source = PROFILE_OVERRIDES_ENV): ProfileOverrides {
  if (json === undefined || json.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new PortraitError('BAD_REQUEST', `${source} is not valid JSON: ${json.slice(0, 200)}`);
  }
  return validateOverrides(raw, source);
}

function validateOverrides(raw: unknown, source: string): ProfileOverrides {
  const r = Overrides.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || '(object)'}: ${i.message}`).join('; ');
    throw new PortraitError('BAD_REQUEST', `${source} has invalid profile options (${why}); allowed: ${OPTION_KEYS.join(', ')}`);
  }
  return r.data as ProfileOverrides;
}

/** The profile with options replaced; checks the combination is trainable. */
export function withOptions(base: NetProfile, o: ProfileOverrides, source = PROFILE_OVERRIDES_ENV): NetProfile {
  const p: NetProfile = { ...base, ...o };
  if (p.lrSchedule === 'cosine' && !(p.scheduleSteps > 0)) {
    throw new PortraitError('BAD_REQUEST', `${source}: lrSchedule "cosine" needs scheduleSteps > 0`);
  }
  if (p.trainingExclusion !== REFERENCE_EXCLUSION_FRAMES && (p.reference === 'none' || p.reference === 'unwrapped-texture')) {
    throw new PortraitError('BAD_REQUEST', `${source}: trainingExclusion needs a reference chosen by parameters (the unwrapped texture leaves out a training frame's own quarter instead)`);
  }
  if (p.residual && p.reference === 'none') throw new PortraitError('BAD_REQUEST', `${source}: residual needs a reference (the output is the reference plus a correction)`);
  if (p.advWeight === 0 && p.l1Weight === 0) throw new PortraitError('BAD_REQUEST', `${source}: advWeight and l1Weight cannot both be 0`);
  return p;
}

function baseProfile(name: string): NetProfile {
  const p = (PROFILES as Record<string, NetProfile | undefined>)[name];
  if (!p) {
    throw new PortraitError('BAD_REQUEST', `Unknown network profile "${name}"; use one of ${Object.keys(PROFILES).join(', ')}`);
  }
  return p;
}

/**
 * A profile by name, with the experiment overrides of PORTRAIT_PROFILE_OVERRIDES (read at each
 * lookup) applied. The variant's signature differs from the plain profile's, so checkpoints of
 * different variants never mix, and the checkpoint header records the variant.
 */
export function getProfile(name: string, env: NodeJS.ProcessEnv = process.env): NetProfile {
  const base = baseProfile(name);
  const o = parseProfileOverrides(env[PROFILE_OVERRIDES_ENV]);
  return Object.keys(o).length ? withOptions(base, o) : base;
}

/** The options where this profile differs from its named base profile (what a checkpoint header records). */
export function profileVariant(p: NetProfile): ProfileOverrides {
  const base = (PROFILES as Record<string, NetProfile | undefined>)[p.name] ?? ({ ...DEFAULT_OPTIONS } as NetProfile);
  const out: Record<string, unknown> = {};
  for (const k of OPTION_KEYS) if (p[k] !== base[k]) out[k] = p[k];
  return out as ProfileOverrides;
}

/**
 * Option defaults a profile had before a network version changed them: up to and including
 * network version `until`, the profile's defaults were its current ones with `options`. A
 * checkpoint records only where it differed from its profile's defaults of its own version,
 * so these come before its recorded variant, and an older checkpoint keeps the network it was
 * trained with (it renders and resumes) after the defaults move on.
 */
export type DefaultsHistory = Partial<Record<ProfileName, ReadonlyArray<{ until: number; options: ProfileOverrides }>>>;
/** Each profile's entries in ascending `until`. */
export const DEFAULTS_BEFORE: DefaultsHistory = {};

/** The named profile as it was in network version `version` (its defaults then). */
export function profileAtVersion(name: string, version: number, history: DefaultsHistory = DEFAULTS_BEFORE): NetProfile {
  const base = baseProfile(name);
  const older = (history[name as ProfileName] ?? []).filter((d) => version <= d.until);
  // Applied newest change first, so the oldest version's options win.
  return older.reduceRight<NetProfile>((p, d) => ({ ...p, ...d.options }), base);
}

/**
 * The profile a checkpoint was trained with: its named profile as it was in the checkpoint's
 * network version, plus the recorded variant (no environment).
 */
export function resolveProfile(name: string, variant: unknown, version = NETWORK_VERSION): NetProfile {
  const base = profileAtVersion(name, version);
  if (variant === undefined || variant === null) return base;
  const o = validateOverrides(variant, 'The checkpoint header');
  return Object.keys(o).length ? withOptions(base, o, 'The checkpoint header') : base;
}

const EMA_IN_SIGNATURE = /:emaDecay=([^:]+)/;

/**
 * The signature of what a checkpoint's weights and Adam moments are: the profile signature
 * without the EMA decay. The EMA is an average kept beside the weights; it changes neither
 * their shapes nor their training, so checkpoints that differ only in it fit each other
 * (a run trained without it gains one when resumed; one with it loses it).
 */
export function weightSignature(signature: string): string {
  return signature.replace(EMA_IN_SIGNATURE, '');
}

/** The EMA decay a signature records (0 when it has none). */
export function signatureEmaDecay(signature: string): number {
  const m = EMA_IN_SIGNATURE.exec(signature);
  return m ? Number(m[1]) : 0;
}

/** "upsample=resize-conv, emaDecay=0.999" (empty for the plain profile) */
export function describeVariant(p: NetProfile): string {
  return Object.entries(profileVariant(p)).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

/**
 * A short fingerprint of everything that shapes the weights and their training: checkpoints
 * must match it. Options at their defaults add nothing, so version-1 signatures are unchanged.
 */
export function profileSignature(p: NetProfile): string {
  const base = `${p.name}:${p.resolution}:g${p.gWidths.join('-')}:r${p.refine ? 1 : 0}:d${p.dWidths.join('-')}/${p.dStrideTwo}`;
  const opts = OPTION_KEYS.filter((k) => p[k] !== DEFAULT_OPTIONS[k]).map((k) => `${k}=${String(p[k])}`);
  return opts.length ? `${base}:${opts.join(':')}` : base;
}
