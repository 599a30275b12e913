import { describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import {
  DEFAULT_OPTIONS, getProfile, NETWORK_VERSION, profileAtVersion, parseProfileOverrides, PROFILE_OVERRIDES_ENV, PROFILES, profileSignature, profileVariant,
  inputChannels, requiredNetworkVersion, resolveProfile, signatureEmaDecay, weightSignature, withOptions,
} from './profiles.js';

const env = (json?: string): NodeJS.ProcessEnv => (json === undefined ? {} : { [PROFILE_OVERRIDES_ENV]: json });

describe('profiles, options and experiment overrides', () => {
  it('version-1 weight signatures are unchanged (existing checkpoints keep loading); cpu keeps an EMA since version 3', () => {
    expect(profileSignature(PROFILES.tiny)).toBe('tiny:16:g8-16-16-16:r1:d8-16-16/2');
    expect(profileSignature(PROFILES.cpu)).toBe('cpu:128:g16-32-64-96-96-96-96:r1:d16-32-64-64/3:emaDecay=0.999');
    expect(weightSignature(profileSignature(PROFILES.cpu))).toBe('cpu:128:g16-32-64-96-96-96-96:r1:d16-32-64-64/3');
    // no profile's defaults changed since: every version resolves to the profile itself
    expect(profileAtVersion('cpu', 3)).toBe(PROFILES.cpu);
    expect(resolveProfile('cpu', {}, 3)).toBe(PROFILES.cpu);
    expect(resolveProfile('cpu', { reference: 'unwrapped-texture', residual: true }, 4)).toMatchObject({ reference: 'unwrapped-texture', residual: true });
    expect(signatureEmaDecay(profileSignature(PROFILES.cpu))).toBe(0.999);
    expect(signatureEmaDecay(profileSignature(PROFILES.tiny))).toBe(0);
    for (const p of Object.values(PROFILES)) {
      expect(profileVariant(p)).toEqual({});
      expect(requiredNetworkVersion(p)).toBe(1);
      expect(getProfile(p.name, env())).toBe(p);
    }
    expect(NETWORK_VERSION).toBe(6);
    expect(DEFAULT_OPTIONS).toEqual({ upsample: 'transposed', emaDecay: 0, advWeight: 1, l1Weight: 100, lr: 2e-4, lrSchedule: 'constant', scheduleSteps: 0, reference: 'none', residual: false, trainingExclusion: 50 });
    expect(requiredNetworkVersion(withOptions(PROFILES.tiny, { reference: 'nearest-params' }))).toBe(3);
    expect(requiredNetworkVersion(withOptions(PROFILES.tiny, { reference: 'unwrapped-texture' }))).toBe(4);
    expect(requiredNetworkVersion(withOptions(PROFILES.tiny, { reference: 'local-texture' }))).toBe(5);
    expect(requiredNetworkVersion(withOptions(PROFILES.tiny, { reference: 'local-texture-posed' }))).toBe(6);
    expect(requiredNetworkVersion(withOptions(PROFILES.tiny, { reference: 'local-texture', trainingExclusion: 200 }))).toBe(6);
    expect(() => withOptions(PROFILES.tiny, { trainingExclusion: 200 })).toThrow(/trainingExclusion needs a reference/);
    expect(() => withOptions(PROFILES.tiny, { reference: 'unwrapped-texture', trainingExclusion: 200 })).toThrow(/own quarter/);
    expect(() => parseProfileOverrides('{"trainingExclusion":-1}')).toThrow(/trainingExclusion/);
    expect(inputChannels(withOptions(PROFILES.cpu, { reference: 'unwrapped-texture' }))).toBe(102);
    expect(inputChannels(PROFILES.cpu)).toBe(99);
    expect(inputChannels(withOptions(PROFILES.cpu, { reference: 'nearest-params' }))).toBe(102);
  });

  it('PORTRAIT_PROFILE_OVERRIDES overrides fields of the chosen profile and changes its signature', () => {
    const p = getProfile('tiny', env('{"upsample":"resize-conv","emaDecay":0.999}'));
    expect(p.name).toBe('tiny');
    expect(p.upsample).toBe('resize-conv');
    expect(p.emaDecay).toBe(0.999);
    expect(p.gWidths).toEqual(PROFILES.tiny.gWidths);
    expect(profileSignature(p)).toBe('tiny:16:g8-16-16-16:r1:d8-16-16/2:upsample=resize-conv:emaDecay=0.999');
    expect(profileVariant(p)).toEqual({ upsample: 'resize-conv', emaDecay: 0.999 });
    expect(requiredNetworkVersion(p)).toBe(2);
    // Each option alone changes the signature.
    const sigs = new Set([profileSignature(PROFILES.tiny)]);
    for (const o of ['{"emaDecay":0.5}', '{"advWeight":0}', '{"l1Weight":50}', '{"lr":0.0001}', '{"lrSchedule":"cosine","scheduleSteps":10}', '{"upsample":"resize-conv"}', '{"reference":"nearest-params"}', '{"reference":"unwrapped-texture","residual":true}']) {
      sigs.add(profileSignature(getProfile('tiny', env(o))));
    }
    expect(sigs.size).toBe(9);
    // An override equal to the default is the plain profile.
    expect(profileSignature(getProfile('tiny', env('{"advWeight":1}')))).toBe(profileSignature(PROFILES.tiny));
  });

  it('a checkpoint header variant rebuilds the same profile without the environment', () => {
    const p = getProfile('cpu', env('{"advWeight":0,"lrSchedule":"cosine","scheduleSteps":1000}'));
    const back = resolveProfile('cpu', JSON.parse(JSON.stringify(profileVariant(p))));
    expect(back).toEqual(p);
    expect(resolveProfile('cpu', undefined)).toBe(PROFILES.cpu);
  });

  it('refuses bad overrides with BAD_REQUEST: not JSON, unknown field, wrong value, incomplete schedule, no loss', () => {
    const bad = ['{', '{"widths":[1]}', '{"upsample":"bilinear"}', '{"emaDecay":1}', '{"lr":0}', '{"lrSchedule":"cosine"}', '{"advWeight":0,"l1Weight":0}', '[1]'];
    for (const b of bad) {
      let err: unknown;
      try {
        getProfile('tiny', env(b));
      } catch (e) {
        err = e;
      }
      expect(err, b).toBeInstanceOf(PortraitError);
      expect((err as PortraitError).code).toBe('BAD_REQUEST');
      expect((err as PortraitError).message).toContain(PROFILE_OVERRIDES_ENV);
    }
    expect(parseProfileOverrides('  ')).toEqual({});
    expect(() => getProfile('huge', env())).toThrow(/Unknown network profile "huge"/);
  });
});

describe('profile defaults by network version', () => {
  it('an older checkpoint resolves with the defaults of its version, the oldest change winning', () => {
    const history = { tiny: [{ until: 2, options: { lr: 1e-4 } }, { until: 3, options: { lr: 3e-4, upsample: 'resize-conv' as const } }] };
    expect(profileAtVersion('tiny', 4, history)).toBe(PROFILES.tiny);
    expect(profileAtVersion('tiny', 3, history)).toMatchObject({ lr: 3e-4, upsample: 'resize-conv' });
    expect(profileAtVersion('tiny', 1, history)).toMatchObject({ lr: 1e-4, upsample: 'resize-conv' });
    expect(profileAtVersion('light', 1, history)).toBe(PROFILES.light);
  });
});
