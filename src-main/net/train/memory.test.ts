import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { countParams, discriminatorParams, generatorParams } from '../model/params.js';
import { PROFILES, profileAtVersion, withOptions, type ProfileName } from '../model/profiles.js';
import { checkMemory, ensureFits, estimateMemory } from './memory.js';

const V1 = JSON.parse(readFileSync(new URL('../model/v1-topology.fixture.json', import.meta.url), 'utf8')) as {
  profiles: Record<ProfileName, { activationBytesBatch1: number }>;
};

describe('memory estimate', () => {
  it('counts params, Adam state and workspace, and activations grow linearly with batch', () => {
    const p = PROFILES.light;
    const n = countParams(generatorParams(p)) + countParams(discriminatorParams(p));
    const e1 = estimateMemory(p, 1);
    const e4 = estimateMemory(p, 4);
    expect(e1.paramsBytes).toBe(n * 4);
    expect(e1.optimizerBytes).toBe(n * 12);
    expect(e1.totalBytes).toBe(e1.paramsBytes + e1.optimizerBytes + e1.workspaceBytes + e1.activationBytes);
    expect(e1.backendBytes).toBe(e1.totalBytes - e1.optimizerBytes);
    expect(e4.activationBytes).toBeCloseTo(4 * e1.activationBytes, -1);
    expect(estimateMemory(PROFILES.paper, 1).activationBytes).toBeGreaterThan(e1.activationBytes * 3);
  });

  it('refuses a batch that does not fit and suggests the largest that does', () => {
    const p = PROFILES.paper;
    const limit = 3.5 * 2 ** 30;
    const c = checkMemory(p, 16, 'wasm', limit);
    expect(c.ok).toBe(false);
    expect(c.maxBatch).toBeGreaterThan(0);
    expect(c.maxBatch).toBeLessThan(16);
    expect(checkMemory(p, c.maxBatch, 'wasm', limit).ok).toBe(true);
    expect(checkMemory(p, c.maxBatch + 1, 'wasm', limit).ok).toBe(false);
    expect(c.message).toContain(`use batch ${c.maxBatch} or less`);
    expect(() => ensureFits(p, 16, 'wasm', limit)).toThrow(PortraitError);
  });

  it('says to pick a smaller profile when even one sample does not fit', () => {
    const c = checkMemory(PROFILES.paper, 1, 'wasm', 1 * 2 ** 30);
    expect(c.maxBatch).toBe(0);
    expect(c.message).toMatch(/smaller profile/);
  });

  it('the light profile generator has about 13M parameters', () => {
    const g = countParams(generatorParams(PROFILES.light));
    expect(g).toBeGreaterThan(11e6);
    expect(g).toBeLessThan(15e6);
  });

  it.each(Object.keys(PROFILES) as ProfileName[])('%s: the activation figure derived from the topology equals the hand-kept version-1 one (the profile as a version-3 checkpoint resolves it)', (name) => {
    expect(estimateMemory(profileAtVersion(name, 3), 1).activationBytes).toBe(V1.profiles[name].activationBytesBatch1);
  });

  it('a reference input adds its 3 channels to the input the step holds', () => {
    const v3 = profileAtVersion('cpu', 3);
    const R = v3.resolution;
    expect(estimateMemory(withOptions(v3, { reference: 'unwrapped-texture', residual: true }), 1).activationBytes).toBeGreaterThan(estimateMemory(v3, 1).activationBytes);
    expect(estimateMemory(withOptions(v3, { reference: 'nearest-params' }), 1).activationBytes - estimateMemory(v3, 1).activationBytes).toBeGreaterThanOrEqual(R * R * 3 * 4);
  });

  it('follows the options: resize-conv keeps upsampled maps, advWeight 0 drops D, EMA adds G weights on the host', () => {
    const p = withOptions(PROFILES.cpu, { emaDecay: 0 });
    const base = estimateMemory(p, 1);
    expect(estimateMemory(withOptions(p, { upsample: 'resize-conv' }), 1).activationBytes).toBeGreaterThan(base.activationBytes);
    expect(estimateMemory(withOptions(p, { advWeight: 0 }), 1).activationBytes).toBeLessThan(base.activationBytes);
    const ema = estimateMemory(withOptions(p, { emaDecay: 0.999 }), 1);
    expect(ema.optimizerBytes - base.optimizerBytes).toBe(countParams(generatorParams(p)) * 4);
    expect(ema.backendBytes).toBe(base.backendBytes);
  });
});
