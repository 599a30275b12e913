import { describe, expect, it } from 'vitest';
import { neutralParams, SH_COEFFS } from '../../face/params.js';
import { tracksFromParams } from './base-tracks.js';
import { resampleTracks } from './resample-tracks.js';
import { syntheticTracks } from './synthetic.js';

describe('base tracks', () => {
  it('marks frames without a face invalid and bridges them linearly, holding the ends', () => {
    const at = (yaw: number, sh0: number) => {
      const p = neutralParams();
      p.yaw = yaw;
      p.sh[0] = sh0;
      return p;
    };
    const t = tracksFromParams(25, [null, at(10, 1), null, null, at(40, 4), null]);
    expect([...t.valid!]).toEqual([0, 1, 0, 0, 1, 0]);
    expect([...t.channels['head.yaw']]).toEqual([10, 10, 20, 30, 40, 40]);
    expect([0, 1, 2, 3, 4, 5].map((f) => t.sh![f * SH_COEFFS])).toEqual([1, 1, 2, 3, 4, 4]);
    expect(t.channels['head.tz'][2]).toBe(-600);
  });

  it('leaves an all-invalid clip at defaults', () => {
    const t = tracksFromParams(30, [null, null]);
    expect([...t.channels['head.tz']]).toEqual([-600, -600]);
  });
});

describe('resampleTracks', () => {
  it('moves motion to another frame rate in time; frames touching a faceless frame are invalid', () => {
    const src = syntheticTracks(30, 90, 1);
    src.valid = new Uint8Array(90).fill(1);
    src.valid[45] = 0;
    for (let f = 0; f < 90; f++) src.channels['head.yaw'][f] = f / 30; // seconds
    const r = resampleTracks(src, 25, 75);
    for (let f = 0; f < 75; f++) expect(r.channels['head.yaw'][f]).toBeCloseTo(f / 25, 5);
    // Source frame 45 has no face; output frames 37 and 38 sit at source 44.4 and 45.6, both touching it.
    expect([...r.valid!.subarray(35, 41)]).toEqual([1, 1, 0, 0, 1, 1]);
    expect(r.sh![38 * SH_COEFFS + 5]).toBe(src.sh![46 * SH_COEFFS + 5]);
  });
});
