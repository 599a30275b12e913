import { describe, expect, it } from 'vitest';
import { CHANNELS, HEAD_CHANNELS } from '../channels/declarations.js';
import { defaultTransfer, type TransferSettings } from '../edits/schema.js';
import { emptyTracks, type BaseTracks } from '../tracks/base-tracks.js';
import { syntheticTracks } from '../tracks/synthetic.js';
import { median, restPose } from './rest-pose.js';
import { sourceFrameAt } from './resample.js';
import { sourceFrameShown, transfer, uncoveredTail } from './transfer.js';

function settings(patch: Partial<TransferSettings> = {}): TransferSettings {
  return { ...defaultTransfer(), enabled: true, ...patch };
}

/** A track whose every channel is fn(time in seconds, channel index). */
function trackOf(fps: number, n: number, fn: (t: number, c: number) => number): BaseTracks {
  const t = emptyTracks(fps, n);
  CHANNELS.forEach((d, c) => {
    for (let f = 0; f < n; f++) t.channels[d.id][f] = fn(f / fps, c);
  });
  return t;
}

describe('rest pose', () => {
  it('is the median pose, robust to a minority of large head turns and frames without a face', () => {
    const t = syntheticTracks(25, 200, 2);
    const yaw = t.channels['head.yaw'];
    for (let f = 0; f < 200; f++) yaw[f] = 10 + 0.5 * Math.sin(f);
    for (let f = 0; f < 60; f++) yaw[f] = 60; // 30% of the clip looking far away
    t.valid = new Uint8Array(200).fill(1);
    for (let f = 150; f < 200; f++) {
      t.valid[f] = 0;
      yaw[f] = -80; // garbage where there was no face
    }
    const rest = restPose(t);
    expect(rest['head.yaw']).toBeGreaterThan(9.5);
    expect(rest['head.yaw']).toBeLessThan(10.5);
    expect(median(new Float64Array([3, 1, 2, 10]))).toBe(2.5);
    expect(median(new Float64Array(0))).toBe(0);
  });
});

describe('transfer', () => {
  it('moves the head relative to each actor rest pose, with gain', () => {
    const fps = 25;
    const n = 100;
    // Source rests at yaw 20 / tz -400 and nods around it; target rests at yaw -5 / tz -900.
    const delta = (f: number) => 8 * Math.sin(f / 7);
    const source = emptyTracks(fps, n);
    const target = emptyTracks(fps, n);
    for (let f = 0; f < n; f++) {
      source.channels['head.yaw'][f] = 20 + (f % 10 < 7 ? 0 : delta(f));
      source.channels['head.tz'][f] = -400 + (f % 10 < 7 ? 0 : delta(f));
      target.channels['head.yaw'][f] = -5;
      target.channels['head.tz'][f] = -900;
    }
    for (const gain of [1, 0.5, 2]) {
      const s = settings();
      s.groups.head = { enabled: true, gain };
      const r = transfer(source, target, s);
      expect(r.sourceRest['head.yaw']).toBe(20);
      expect(r.targetRest['head.tz']).toBe(-900);
      for (let f = 0; f < n; f++) {
        const d = f % 10 < 7 ? 0 : delta(f);
        expect(r.tracks.channels['head.yaw'][f]).toBeCloseTo(-5 + d * gain, 4);
        expect(r.tracks.channels['head.tz'][f]).toBeCloseTo(-900 + d * gain, 3);
      }
    }
  });

  it('takes expression, gaze and blink as is with their gains; disabled groups keep the target', () => {
    const source = syntheticTracks(25, 80, 5);
    const target = syntheticTracks(25, 80, 9);
    const s = settings();
    s.groups.expression = { enabled: true, gain: 0.5 };
    s.groups.gaze = { enabled: false, gain: 1 };
    const r = transfer(source, target, s);
    for (let f = 0; f < 80; f += 3) {
      expect(r.tracks.channels['expr.jawOpen'][f]).toBeCloseTo(0.5 * source.channels['expr.jawOpen'][f]!, 5);
      expect(r.tracks.channels['blink.left'][f]).toBeCloseTo(source.channels['blink.left'][f]!, 5);
      expect(r.tracks.channels['gaze.left.yaw'][f]).toBe(target.channels['gaze.left.yaw'][f]);
    }
    expect(r.tracks.sh).toBe(target.sh);
    const off = transfer(source, target, { ...s, enabled: false });
    for (const d of CHANNELS) expect(off.tracks.channels[d.id]).toEqual(target.channels[d.id]);
  });

  it('resamples a 25 fps source onto a 30 fps target in time, not in frames', () => {
    const motion = (t: number, c: number) => 0.4 + 0.3 * Math.sin(2 * Math.PI * 0.7 * t + c);
    const source = trackOf(25, 125, motion); // 5 s
    const target = trackOf(30, 150, () => 0); // 5 s
    const r = transfer(source, target, settings());
    let maxErr = 0;
    const ch = r.tracks.channels['expr.mouthPucker'];
    const c = CHANNELS.findIndex((d) => d.id === 'expr.mouthPucker');
    for (let f = 0; f < 150; f++) {
      const expected = f / 30 <= 124 / 25 ? motion(f / 30, c) : 0;
      maxErr = Math.max(maxErr, Math.abs(ch[f]! - expected));
    }
    // Linear interpolation error of a 0.7 Hz sine sampled at 25 fps: about a(w dt)^2/8 = 1e-3.
    expect(maxErr).toBeLessThan(2e-3);
    // Reading source frames at the target's frame index (the bug this guards against) would be far off.
    expect(Math.abs(ch[120]! - motion(120 / 25, c))).toBeGreaterThan(0.05);
  });

  it('honours time offset and trim, keeping the target outside the used source span', () => {
    const source = trackOf(25, 100, (t) => 0.01 * Math.round(t * 25)); // value = frame/100
    const target = trackOf(25, 100, () => 0.9);
    const s = settings({ timeOffsetSec: 1, trimIn: 10, trimOut: 40 });
    const r = transfer(source, target, s);
    const ch = r.tracks.channels['expr.cheekPuff'];
    // Target frame 25 (1 s) shows source frame 10; target frame 54 shows source frame 39; then the target again.
    expect(ch[24]).toBeCloseTo(0.9, 5);
    expect(ch[25]).toBeCloseTo(0.1, 5);
    expect(ch[54]).toBeCloseTo(0.39, 5);
    expect(ch[55]).toBeCloseTo(0.9, 5);
    expect(r.covered.reduce((a, b) => a + b, 0)).toBe(30);
    expect(sourceFrameAt(0, 30, 25, 0, 0, 10)).toBe(0);
    expect(Number.isNaN(sourceFrameAt(-1, 30, 25, 0, 0, 10))).toBe(true);
  });

  it('keeps the target where the source had no face', () => {
    const source = trackOf(25, 50, () => 0.7);
    source.valid = new Uint8Array(50).fill(1);
    source.valid.fill(0, 20, 30);
    const target = trackOf(25, 50, () => 0.1);
    const r = transfer(source, target, settings());
    expect(r.tracks.channels['blink.right'][10]).toBeCloseTo(0.7, 5);
    expect(r.tracks.channels['blink.right'][25]).toBeCloseTo(0.1, 5);
    // Head rest poses come only from frames with a face.
    for (const id of HEAD_CHANNELS) expect(Number.isFinite(r.sourceRest[id])).toBe(true);
  });
});

describe('past the source\'s end (issue 16, item 5)', () => {
  // Source: 10 frames of jaw opening 0.1..1.0 at the target's rate; target: 30 frames, jaw 0.
  const fps = 25;
  const source = emptyTracks(fps, 10);
  for (let f = 0; f < 10; f++) source.channels['expr.jawOpen'][f] = (f + 1) / 10;
  const target = emptyTracks(fps, 30);
  const jaw = (s: Partial<TransferSettings>) => Array.from(transfer(source, target, settings(s)).tracks.channels['expr.jawOpen']).map((v) => Math.round(v * 1000) / 1000);

  it('target: cuts back to the target\'s own motion at the next frame (as before)', () => {
    const j = jaw({ afterEnd: 'target' });
    expect(j[9]).toBe(1);
    expect(j.slice(10)).toEqual(new Array(20).fill(0));
  });
  it('hold: keeps the source\'s last frame to the end', () => {
    expect(jaw({ afterEnd: 'hold' }).slice(9)).toEqual(new Array(21).fill(1));
  });
  it('loop: plays the source again from its trim in', () => {
    const j = jaw({ afterEnd: 'loop' });
    expect(j.slice(10, 20)).toEqual(j.slice(0, 10));
    expect(j[25]).toBe(j[5]);
    const trimmed = jaw({ afterEnd: 'loop', trimIn: 2, trimOut: 6 }); // frames 2..5 = 0.3..0.6
    expect(trimmed.slice(0, 8)).toEqual([0.3, 0.4, 0.5, 0.6, 0.3, 0.4, 0.5, 0.6]);
  });
  it('ease: from the last source value back to the target\'s own over easeFrames, monotonic, then the target', () => {
    const j = jaw({ afterEnd: 'ease', easeFrames: 5 });
    const ease = j.slice(10, 15);
    expect(ease[0]).toBeLessThan(1);
    expect(ease[4]).toBeGreaterThan(0);
    for (let i = 1; i < ease.length; i++) expect(ease[i]).toBeLessThan(ease[i - 1]!);
    expect(j.slice(15)).toEqual(new Array(15).fill(0));
  });
  it('a target frame before an offset source keeps the target\'s own motion in every mode', () => {
    for (const afterEnd of ['target', 'hold', 'loop', 'ease'] as const) expect(jaw({ afterEnd, timeOffsetSec: 0.2 }).slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
  });
  it('uncoveredTail says where the source ends on the target\'s timeline', () => {
    expect(uncoveredTail(10, fps, 30, fps, settings())).toEqual({ from: 10, frames: 20, seconds: 0.8 });
    expect(uncoveredTail(50, 25, 72, 24, settings())).toMatchObject({ from: 48, frames: 24 }); // cap12_2s onto franck_3s
    expect(uncoveredTail(100, fps, 30, fps, settings())).toBeNull();
    expect(uncoveredTail(10, fps, 30, fps, settings({ timeOffsetSec: 0.4 }))).toMatchObject({ from: 20 });
  });
});

describe('sourceFrameShown: the source picture beside a target frame (issue 16, item 11)', () => {
  const s = (x: Partial<TransferSettings>) => ({ ...defaultTransfer(), enabled: true, ...x }) as TransferSettings;
  it('follows the same timing as the transferred motion: offset, fps, trim, and each after-end mode', () => {
    // Source 10 frames at 25 fps, target at 25 fps: frame for frame.
    expect([0, 5, 9].map((f) => sourceFrameShown(f, 25, 25, 10, s({})))).toEqual([0, 5, 9]);
    expect(sourceFrameShown(10, 25, 25, 10, s({ afterEnd: 'target' }))).toBeNull();
    expect(sourceFrameShown(20, 25, 25, 10, s({ afterEnd: 'hold' }))).toBe(9);
    expect(sourceFrameShown(13, 25, 25, 10, s({ afterEnd: 'loop' }))).toBe(3);
    expect(sourceFrameShown(11, 25, 25, 10, s({ afterEnd: 'ease', easeFrames: 5 }))).toBe(9);
    expect(sourceFrameShown(15, 25, 25, 10, s({ afterEnd: 'ease', easeFrames: 5 }))).toBeNull();
    // Half a second of offset: the source starts at target frame 12.5 (25 fps).
    expect(sourceFrameShown(5, 25, 25, 10, s({ timeOffsetSec: 0.5 }))).toBeNull();
    expect(sourceFrameShown(13, 25, 25, 10, s({ timeOffsetSec: 0.5 }))).toBe(1);
    // A 50 fps source on a 25 fps target: every other source frame; trim in 4.
    expect(sourceFrameShown(2, 25, 50, 40, s({ trimIn: 4 }))).toBe(8);
    expect(sourceFrameShown(3, 25, 25, 10, { ...s({}), enabled: false })).toBeNull();
  });
  it('agrees with where transfer() takes its values', () => {
    const src = emptyTracks(25, 10);
    for (let f = 0; f < 10; f++) src.channels['expr.jawOpen'][f] = f;
    const tgt = emptyTracks(25, 30);
    for (const afterEnd of ['target', 'hold', 'loop'] as const) {
      const st = s({ afterEnd, groups: { ...defaultTransfer().groups } });
      const jaw = transfer(src, tgt, st).tracks.channels['expr.jawOpen'];
      for (let f = 0; f < 30; f++) {
        const shown = sourceFrameShown(f, 25, 25, 10, st);
        if (shown !== null) expect(jaw[f]).toBeCloseTo(shown, 5);
      }
    }
  });
});
