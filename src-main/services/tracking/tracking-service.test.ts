import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import { runFfmpeg } from '../media/run-ffmpeg.js';
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { ActorFile, readFloats, readJson, trackPaths } from './track-files.js';
import { trackQuality } from './quality.js';
import { RECORD_FLOATS, REC_EXPRESSION, REC_POSE, REC_SH } from '../../../src-shared/tracks/record.js';
import { decodeTrackingData } from '../../../src-shared/tracks/tracking-wire.js';

let studio: Studio;
let client: PortraitClient;
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'track-'));
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
});
afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

async function projectWith(name: string, video: string): Promise<string> {
  const dir = join(root, name);
  await client.call('project.create', { dir });
  await (await client.startJob('project.importVideo', { dir, role: 'target', path: video })).result;
  return dir;
}

describe('tracking a real clip (franck, FG-NET Talking Face)', () => {
  let dir: string;
  it('tracks every frame, resumes after a cancel, and reports coverage', async () => {
    dir = await projectWith('franck', fixture('franck_3s.mp4'));
    // Cancel part-way: what was tracked is kept durably.
    const first = await client.startJob('tracking.start', { dir, role: 'target' }, (p) => {
      if (p.stage === 'Tracking' && p.done >= 30) void first.cancel();
    });
    await expect(first.result).rejects.toMatchObject({ code: 'CANCELLED' });
    const mid = await client.call('project.info', { dir });
    const kept = mid.tracking[0]!.framesTracked;
    expect(kept).toBeGreaterThanOrEqual(24);
    expect(kept).toBeLessThan(72);
    // Re-running continues where it stopped.
    const second = await client.startJob('tracking.start', { dir, role: 'target' });
    const r = await second.result;
    expect(r.resumedFrom).toBe(kept);
    expect(r).toMatchObject({ frames: 72, framesTracked: 72, framesWithFace: 72 });
    const info = await client.call('project.info', { dir });
    expect(info.tracking).toEqual([{ role: 'target', frames: 72, framesTracked: 72, framesWithFace: 72 }]);
  });

  it('a resumed run tracks the frames after the resume point as the uninterrupted run does', async () => {
    const whole = await projectWith('franck-whole', fixture('franck_3s.mp4'));
    await (await client.startJob('tracking.start', { dir: whole, role: 'target' })).result;
    const a = (await readFloats(trackPaths(dir, 'target').records))!;
    const b = (await readFloats(trackPaths(whole, 'target').records))!;
    const worst = { angleDeg: 0, depthMm: 0, expression: 0 };
    for (let f = 0; f < 72; f++) {
      const o = f * RECORD_FLOATS;
      for (let k = 0; k < 3; k++) worst.angleDeg = Math.max(worst.angleDeg, Math.abs(a[o + REC_POSE + k]! - b[o + REC_POSE + k]!));
      worst.depthMm = Math.max(worst.depthMm, Math.abs(a[o + REC_POSE + 5]! - b[o + REC_POSE + 5]!));
      for (let k = REC_EXPRESSION; k < REC_SH; k++) worst.expression = Math.max(worst.expression, Math.abs(a[o + k]! - b[o + k]!));
    }
    console.log(`resumed vs uninterrupted, worst over 72 frames: ${JSON.stringify(worst)}`);
    // Before the chunk grid the resumed frames differed by up to 26 mm depth, 1.8 deg, expression 1.0.
    expect(worst.angleDeg).toBeLessThan(0.1);
    expect(worst.depthMm).toBeLessThan(1);
    expect(worst.expression).toBeLessThan(0.02);
  });

  it('fits the detector landmarks closely and steadily', async () => {
    const paths = trackPaths(dir, 'target');
    const q = trackQuality((await readFloats(paths.records))!, (await readFloats(paths.landmarks))!, (await readJson(paths.actor, ActorFile))!);
    expect(q.frames).toBe(72);
    // 5% of the inter-ocular distance is ~3 px on this 60-px IOD face: about the detector's own noise.
    expect(q.meanNormalizedError).toBeLessThan(0.05);
    // The fit must not shake more than the detector it follows.
    expect(q.jitter).toBeLessThan(q.detectorJitter * 1.1);
  });

  it('serves curves, crops, the actor and an overlay', async () => {
    const d = decodeTrackingData(await client.call('tracking.data', { dir, role: 'target' }));
    expect(d.status.every((s) => s === 1)).toBe(true);
    expect(d.channels['head.yaw']).toHaveLength(72);
    // franck looks roughly at the camera in this clip.
    expect(Math.max(...d.channels['head.yaw']!.map(Math.abs))).toBeLessThan(25);
    expect(d.crops).toHaveLength(72);
    const c0 = d.crops![0]!;
    expect(c0.size).toBeGreaterThan(100);
    expect(d.actor?.neutral).toHaveLength(478 * 3);
    // Derived once at the end of tracking into cache/ (deletable): a damaged copy is rebuilt, never served.
    const cached = join(dir, 'cache', 'tracking-data-target.bin');
    expect((await fs.stat(cached)).size).toBeGreaterThan(0);
    await fs.writeFile(cached, '{"key":"v1|not json');
    expect(decodeTrackingData(await client.call('tracking.data', { dir, role: 'target' }))).toEqual(d);
    await fs.rm(join(dir, 'cache'), { recursive: true, force: true });
    expect(decodeTrackingData(await client.call('tracking.data', { dir, role: 'target' }))).toEqual(d);
    const ov = await client.call('tracking.overlay', { dir, role: 'target', frame: 5 });
    expect(ov).toMatchObject({ width: 360, height: 288 });
    expect(ov.dataUrl.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('a damaged tracking file is reported by name and the tracks are left as they were', async () => {
    const copy = join(root, 'damaged');
    await fs.cp(dir, copy, { recursive: true });
    await fs.rm(join(copy, 'project.lock'), { force: true });
    await client.call('project.open', { dir: copy });
    const paths = trackPaths(copy, 'target');
    const before = await fs.readFile(paths.records);
    await fs.writeFile(paths.coverage, '{"framesTracked": 72, "framesWi');
    const job = await client.startJob('tracking.start', { dir: copy, role: 'target' });
    await expect(job.result).rejects.toMatchObject({ code: 'PROJECT_CORRUPT', message: expect.stringMatching(/coverage\.json.*damaged.*left as they are/s) });
    expect((await fs.readFile(paths.records)).equals(before)).toBe(true);
  });

  it('a restart stopped in its first moments leaves a project that says what it holds, never a complete one with lost frames', async () => {
    const copy = join(root, 'restarted');
    await fs.cp(dir, copy, { recursive: true });
    await fs.rm(join(copy, 'project.lock'), { force: true });
    await client.call('project.open', { dir: copy });
    // Stop at the job's first progress report (the cancel is seen at the task's next one).
    const job = await client.startJob('tracking.start', { dir: copy, role: 'target', restart: true }, () => void job.cancel());
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
    const info = await client.call('project.info', { dir: copy });
    const t = info.tracking.find((x) => x.role === 'target')!;
    expect(t.framesTracked).toBeLessThan(72);
    // What needs the whole track says so clearly (not INTERNAL).
    await expect(client.call('conditioning.frame', { dir: copy, frame: 70 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // A plain re-run completes it.
    const again = await (await client.startJob('tracking.start', { dir: copy, role: 'target' })).result;
    expect(again).toMatchObject({ framesTracked: 72, framesWithFace: 72 });
  });
});

describe('tracking bad input', () => {
  it('a clip without a face fails with NO_FACE and marks its frames', async () => {
    const blank = join(root, 'blank.mp4');
    const r = await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'color=c=gray:s=160x120:d=1:r=10', '-pix_fmt', 'yuv420p', blank]);
    expect(r.code).toBe(0);
    const dir = await projectWith('blank', blank);
    const job = await client.startJob('tracking.start', { dir, role: 'target' });
    await expect(job.result).rejects.toMatchObject({ code: 'NO_FACE' });
    const info = await client.call('project.info', { dir });
    expect(info.tracking[0]).toMatchObject({ frames: 10, framesTracked: 10, framesWithFace: 0 });
  });

  it('refuses to track a video the project does not have', async () => {
    const dir = join(root, 'empty');
    await client.call('project.create', { dir });
    const job = await client.startJob('tracking.start', { dir, role: 'source' });
    await expect(job.result).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
