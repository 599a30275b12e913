import { PortraitError } from '../../../src-shared/ipc/errors.js';
import {
  describeVariant, NETWORK_VERSION, profileSignature, requiredNetworkVersion, resolveProfile, signatureEmaDecay, weightSignature, type NetProfile,
} from '../model/profiles.js';
import type { CheckpointMeta } from './checkpoint.js';

type Meta = Pick<CheckpointMeta, 'profile' | 'signature' | 'resolution' | 'networkVersion' | 'variant'>;

/** The network version a checkpoint was trained with; checkpoints without the field are version 1. */
export function checkpointNetworkVersion(meta: Pick<CheckpointMeta, 'networkVersion'>): number {
  return meta.networkVersion ?? 1;
}

function named(name: string, resolution: number, variant: string): string {
  return `"${name}" (${resolution}x${resolution}${variant ? `, ${variant}` : ''})`;
}

/**
 * Throws unless the checkpoint's weights fit profile `p`: first its network version (newer
 * than this app: PROJECT_TOO_NEW; older than the version `p`'s topology needs: BAD_REQUEST
 * naming both versions and what to do), then the profile signature (BAD_REQUEST), compared
 * without the EMA decay (weightSignature): a checkpoint from before the cpu profile kept an
 * EMA resumes under it, its average starting from its weights.
 */
export function assertCheckpointFits(meta: Meta, p: NetProfile): void {
  const v = checkpointNetworkVersion(meta);
  if (v > NETWORK_VERSION) {
    throw new PortraitError(
      'PROJECT_TOO_NEW',
      `This checkpoint was trained with network version ${v}, newer than this Portrait Studio's network version ${NETWORK_VERSION}; update the app to use it`,
      { checkpointVersion: v, networkVersion: NETWORK_VERSION },
    );
  }
  const need = requiredNetworkVersion(p);
  if (v < need) {
    const variant = describeVariant(p);
    throw new PortraitError(
      'BAD_REQUEST',
      `This checkpoint was trained with network version ${v}, but this Portrait Studio runs network version ${NETWORK_VERSION}, ` +
        `in which profile ${named(p.name, p.resolution, variant)} has a different network (changed in version ${need}), so its weights do not fit: ` +
        `retrain, or keep using the older version's snapshot (with the Portrait Studio version that trained it)`,
      { checkpointVersion: v, networkVersion: NETWORK_VERSION, requiredVersion: need },
    );
  }
  const sig = profileSignature(p);
  if (weightSignature(meta.signature) !== weightSignature(sig)) {
    const ckptVariant = Object.entries(meta.variant ?? {}).map(([k, x]) => `${k}=${String(x)}`).join(', ');
    throw new PortraitError(
      'BAD_REQUEST',
      `This checkpoint was trained with profile ${named(meta.profile, meta.resolution, ckptVariant)}, ` +
        `not ${named(p.name, p.resolution, describeVariant(p))}; resume with profile "${meta.profile}"${ckptVariant ? ' and the same options' : ''} or start a new training`,
      { checkpoint: meta.signature, expected: sig },
    );
  }
}

/**
 * The profile a checkpoint was trained with, rebuilt from its header (named profile + recorded
 * variant; PORTRAIT_PROFILE_OVERRIDES plays no part), after assertCheckpointFits. The EMA decay
 * is the one its signature records: a cpu checkpoint from before the profile kept an EMA has
 * no EMA weights, and renders with its raw ones.
 */
export function checkpointProfile(meta: Meta): NetProfile {
  const p = resolveProfile(meta.profile, meta.variant, checkpointNetworkVersion(meta));
  assertCheckpointFits(meta, p);
  const emaDecay = signatureEmaDecay(meta.signature);
  return emaDecay === p.emaDecay ? p : { ...p, emaDecay };
}
