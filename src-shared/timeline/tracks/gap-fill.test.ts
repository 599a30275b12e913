import { describe, expect, it } from 'vitest';
import { neutralParams, SH_COEFFS, type FaceParams } from '../../face/params.js';
import { OneEuroFilter, PoseSmoother, smoothPoseTrack } from '../../face/fit/one-euro.js';
import { CHANNEL_COUNT, CHANNEL_IDS, CHANNELS } from '../channels/declarations.js';
import { paramsToChannels } from '../channels/face-params.js';
import { tracksFromParams } from './base-tracks.js';
import { GapFiller } from './gap-fill.js';
import { mulberry32 as rng } from '../../face/fit/synthetic.js';


function randomFrames(n: number, pFace: number, seed: number): (FaceParams | null)[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    if (r() >= pFace) return null;
    const p = neutralParams();
    p.yaw = (r() - 0.5) * 80;
    p.tz = -400 - r() * 300;
    p.gazeLeft.yaw = r() * 10;
    p.blinkRight = r();
    for (let k = 0; k < p.expression.length; k++) p.expression[k] = r();
    for (let k = 0; k < SH_COEFFS; k++) p.sh[k] = r() * 2 - 1;
    return p;
  });
}

/** tracksFromParams through the stream: channels then SH per frame, as the tracking cache writes them. */
async function streamed(frames: readonly (FaceParams | null)[]) {
  const width = CHANNEL_COUNT + SH_COEFFS;
  const fallback = new Float32Array(width);
  CHANNELS.forEach((d, c) => (fallback[c] = d.default));
  const out = frames.map(() => new Float32Array(width));
  let emitted = 0;
  const filler = new GapFiller(
    width,
    (f, v) => {
      expect(f).toBe(emitted++);
      out[f]!.set(v);
      if (f % 7 === 0) return Promise.resolve();
    },
    fallback,
  );
  const row = new Float32Array(width);
  for (let f = 0; f < frames.length; f++) {
    const p = frames[f];
    if (!p) {
      filler.invalid(f);
      continue;
    }
    paramsToChannels(p, row);
    row.set(p.sh.subarray(0, SH_COEFFS), CHANNEL_COUNT);
    // Now and then the sink is slow (a chunk being written): the stream waits for it.
    await filler.valid(f, row);
  }
  await filler.end(frames.length);
  expect(emitted).toBe(frames.length);
  return out;
}

async function expectSame(frames: readonly (FaceParams | null)[]) {
  const t = tracksFromParams(24, frames);
  const s = await streamed(frames);
  for (let f = 0; f < frames.length; f++) {
    for (let c = 0; c < CHANNEL_COUNT; c++) {
      if (!Object.is(s[f]![c], t.channels[CHANNEL_IDS[c]!][f])) throw new Error(`frame ${f} channel ${CHANNEL_IDS[c]}: ${s[f]![c]} vs ${t.channels[CHANNEL_IDS[c]!][f]}`);
    }
    expect(Array.from(s[f]!.subarray(CHANNEL_COUNT))).toEqual(Array.from(t.sh!.subarray(f * SH_COEFFS, (f + 1) * SH_COEFFS)));
  }
}

describe('GapFiller: fillInvalid as a stream', () => {
  it('fills gaps, leading and trailing frames bit for bit as tracksFromParams does', async () => {
    for (const [pFace, seed] of [
      [0.5, 1],
      [0.9, 2],
      [0.05, 3],
      [1, 4],
    ] as const) {
      await expectSame(randomFrames(400, pFace, seed));
    }
    // A long gap, a face only at the ends, a single face.
    const f = randomFrames(300, 1, 5);
    await expectSame(f.map((p, i) => (i === 0 || i === 299 ? p : null)));
    await expectSame(f.map((p, i) => (i === 150 ? p : null)));
  });

  it('leaves a clip without a face at the defaults (SH 0), as tracksFromParams does', async () => {
    await expectSame([null, null, null]);
    await expectSame([]);
  });

  it('refuses frames out of order', async () => {
    const g = new GapFiller(1, () => {}, new Float32Array(1));
    g.valid(0, [1]);
    expect(() => g.invalid(2)).toThrow(/out of order/);
  });
});

/** smoothPoseTrack as it was written before PoseSmoother (the reference). */
function smoothBefore(track: FaceParams[], fps: number): void {
  const f = new OneEuroFilter(6);
  const v = new Float64Array(6);
  track.forEach((p, i) => {
    v.set([p.yaw, p.pitch, p.roll, p.tx, p.ty, p.tz]);
    f.filter(v, i / fps);
    p.yaw = v[0]!;
    p.pitch = v[1]!;
    p.roll = v[2]!;
    p.tx = v[3]!;
    p.ty = v[4]!;
    p.tz = v[5]!;
  });
}

describe('PoseSmoother', () => {
  it('streamed pose by pose equals the whole-array smoothing', () => {
    const pose = (p: FaceParams) => [p.yaw, p.pitch, p.roll, p.tx, p.ty, p.tz];
    const a = randomFrames(200, 1, 7) as FaceParams[];
    const b = a.map((p) => ({ ...p }));
    const c = a.map((p) => ({ ...p }));
    smoothBefore(a, 24);
    const s = new PoseSmoother(24);
    for (const p of b) s.next(p);
    smoothPoseTrack(c, 24);
    expect(b.map(pose)).toEqual(a.map(pose));
    expect(c.map(pose)).toEqual(a.map(pose));
  });
});
