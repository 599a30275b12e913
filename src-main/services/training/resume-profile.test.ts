import { describe, expect, it } from 'vitest';
import { PROFILE_OVERRIDES_ENV, PROFILES } from '../../net/model/profiles.js';
import { resumeProfile } from './train-task.js';

describe('the profile a training resumes with', () => {
  it('continues a checkpoint with the network it was trained with (its recorded options, its version\'s defaults)', () => {
    expect(resumeProfile('cpu', null, {})).toBe(PROFILES.cpu);
    // a version-3 cpu checkpoint: the window alone (its defaults then)
    expect(resumeProfile('cpu', { profile: 'cpu', variant: undefined, networkVersion: 3 }, {})).toMatchObject({ reference: 'none', residual: false, emaDecay: 0.999 });
    // a version-4 one with an experiment's options keeps them
    expect(resumeProfile('cpu', { profile: 'cpu', variant: { reference: 'mean-of-4-nearest', residual: false }, networkVersion: 4 }, {})).toMatchObject({ reference: 'mean-of-4-nearest', residual: false });
    expect(resumeProfile('cpu', { profile: 'cpu', variant: {}, networkVersion: 4 }, {})).toBe(PROFILES.cpu);
  });

  it('another profile requested, or experiment overrides set: the request wins (the trainer then refuses a checkpoint that does not fit)', () => {
    expect(resumeProfile('cpu', { profile: 'tiny', variant: undefined, networkVersion: 3 }, {})).toBe(PROFILES.cpu);
    expect(resumeProfile('cpu', { profile: 'cpu', variant: undefined, networkVersion: 3 }, { [PROFILE_OVERRIDES_ENV]: '{"reference":"unwrapped-texture","residual":true}' })).toMatchObject({ reference: 'unwrapped-texture', residual: true });
  });
});
