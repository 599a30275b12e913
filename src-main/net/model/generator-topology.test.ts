import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discriminatorParams, generatorParams } from './params.js';
import { PROFILES, profileAtVersion, withOptions, type ProfileName } from './profiles.js';
import { dropoutShapes, generatorLayers } from './generator-topology.js';

/** Frozen from the hand-kept version-1 code (params.ts, trainer.ts dropoutShapes) before topology.ts. */
const V1 = JSON.parse(readFileSync(new URL('./v1-topology.fixture.json', import.meta.url), 'utf8')) as {
  profiles: Record<ProfileName, { generator: [string, number[], string][]; discriminator: [string, number[], string][]; dropoutShapesBatch2: number[][] }>;
};
const NAMES = Object.keys(PROFILES) as ProfileName[];
const rows = (specs: { name: string; shape: readonly number[]; init: string }[]) => specs.map((s) => [s.name, [...s.shape], s.init]);

describe('generator topology (declared once)', () => {
  it.each(NAMES)('%s: the derived parameter list (names, shapes, init, checkpoint order) equals version 1 (the profile as a version-3 checkpoint resolves it: the same topology while no default changed it)', (name) => {
    const p = profileAtVersion(name, 3);
    expect(rows(generatorParams(p))).toEqual(V1.profiles[name].generator);
    expect(rows(discriminatorParams(p))).toEqual(V1.profiles[name].discriminator);
  });

  it.each(NAMES)('%s: dropout mask shapes equal version 1', (name) => {
    expect(dropoutShapes(profileAtVersion(name, 3), 2)).toEqual(V1.profiles[name].dropoutShapesBatch2);
  });

  it('tiny, literally (the order existing checkpoints are written in)', () => {
    expect(generatorParams(PROFILES.tiny).map((s) => `${s.name}:${s.shape.join('x')}`)).toEqual([
      'g.down0.w:4x4x99x8', 'g.down0.b:8',
      'g.down1.w:4x4x8x16', 'g.down1.gamma:16', 'g.down1.beta:16',
      'g.down2.w:4x4x16x16', 'g.down2.gamma:16', 'g.down2.beta:16',
      'g.down3.w:4x4x16x16', 'g.down3.b:16',
      'g.up0.w:4x4x16x16', 'g.up0.gamma:16', 'g.up0.beta:16', 'g.up0.r1.w:3x3x16x16', 'g.up0.r1.b:16', 'g.up0.r2.w:3x3x16x16', 'g.up0.r2.b:16',
      'g.up1.w:4x4x16x32', 'g.up1.gamma:16', 'g.up1.beta:16', 'g.up1.r1.w:3x3x16x16', 'g.up1.r1.b:16', 'g.up1.r2.w:3x3x16x16', 'g.up1.r2.b:16',
      'g.up2.w:4x4x8x32', 'g.up2.gamma:8', 'g.up2.beta:8', 'g.up2.r1.w:3x3x8x8', 'g.up2.r1.b:8', 'g.up2.r2.w:3x3x8x8', 'g.up2.r2.b:8',
      'g.up3.w:4x4x3x16', 'g.up3.b:3',
    ]);
  });

  it('layers chain: each takes the previous output (plus its skip) and the decoder mirrors the encoder', () => {
    for (const name of NAMES) {
      const p = PROFILES[name];
      const layers = generatorLayers(p);
      const down = layers.filter((l) => l.kind === 'down');
      const up = layers.filter((l) => l.kind === 'up');
      expect(down.length).toBe(p.gWidths.length);
      expect(up.length).toBe(p.gWidths.length);
      for (let k = 1; k < layers.length; k++) {
        const prev = layers[k - 1]!;
        const l = layers[k]!;
        expect(l.inSide).toBe(prev.outSide);
        const skip = l.kind === 'up' && l.skip !== null ? down[l.skip]! : null;
        if (skip) expect(skip.outSide).toBe(l.inSide);
        expect(l.inChannels).toBe(prev.outChannels + (skip ? skip.outChannels : 0));
      }
      expect(up[up.length - 1]!.outSide).toBe(p.resolution);
      expect(up.filter((l) => l.last).length).toBe(1);
    }
  });

  it('resize-conv: the same names and order, up-convolutions become 3x3 [kh, kw, in, out]', () => {
    const p = withOptions(PROFILES.tiny, { upsample: 'resize-conv' });
    const t = generatorParams(PROFILES.tiny);
    const r = generatorParams(p);
    expect(r.map((s) => s.name)).toEqual(t.map((s) => s.name));
    for (let k = 0; k < t.length; k++) {
      const name = t[k]!.name;
      if (/^g\.up\d+\.w$/.test(name)) {
        const [, , out, inC] = t[k]!.shape;
        expect(r[k]!.shape).toEqual([3, 3, inC, out]);
      } else {
        expect(r[k]!.shape).toEqual(t[k]!.shape);
      }
    }
  });
});
