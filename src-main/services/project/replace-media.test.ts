import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import { listCheckpoints } from '../training/training-files.js';

let studio: Studio;
let client: PortraitClient;
let root: string;
let dir: string;

const importVideo = async (role: 'target' | 'source', name: string) =>
  (await client.startJob('project.importVideo', { dir, role, path: fixture(name) })).result;
const tracked = async (role: 'target' | 'source') => (await client.call('project.info', { dir })).tracking.find((t) => t.role === role)!;
const exists = (p: string) => fs.stat(p).then(() => true, () => false);

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'replace-'));
  dir = join(root, 'p');
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
  await client.call('project.create', { dir });
}, 60_000);

afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

describe('replacing a video with a different one (issue 16, item 1)', () => {
  it('moves the old target\'s tracking and checkpoints aside, reports the new one untracked, and brings them back when the old video returns', async () => {
    const first = await importVideo('target', 'franck_3s.mp4');
    expect(first.notice).toBeUndefined();
    await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
    await (await client.startJob('training.start', { dir, profile: 'tiny', steps: 5, backend: 'wasm', resume: false, validateEverySteps: 1000 })).result;
    expect((await tracked('target')).framesTracked).toBe(72);
    const ckpts = await listCheckpoints(dir);
    expect(ckpts.length).toBeGreaterThan(0);
    const trackBytes = await fs.readFile(join(dir, 'tracks', 'target.track.f32'));

    const second = await importVideo('target', 'cap12_2s.mp4');
    const archive = `replaced/target-${first.sha256.slice(0, 12)}`;
    expect(second.notice).toContain(archive);
    expect(second.notice).toMatch(/checkpoints/);
    expect(second.notice).toMatch(/Track the new target video/);
    const t = await tracked('target');
    expect(t.framesTracked).toBe(0);
    expect(await listCheckpoints(dir)).toEqual([]);
    expect(await exists(join(dir, archive, 'target.track.f32'))).toBe(true);
    expect(await exists(join(dir, archive, 'checkpoints'))).toBe(true);
    expect((await fs.readdir(join(dir, 'cache')).catch(() => [])).some((n) => n.startsWith(`frames-${first.sha256.slice(0, 12)}`))).toBe(false);
    // Nothing downstream takes the old actor for the new video.
    await expect(client.call('inference.frame', { dir, frame: 10 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect((await client.startJob('training.start', { dir, profile: 'tiny', steps: 5, backend: 'wasm' })).result).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const third = await importVideo('target', 'franck_3s.mp4');
    expect(third.notice).toMatch(/came back/);
    expect((await tracked('target')).framesTracked).toBe(72);
    expect((await listCheckpoints(dir)).map((c) => c.step)).toEqual(ckpts.map((c) => c.step));
    expect(await fs.readFile(join(dir, 'tracks', 'target.track.f32'))).toEqual(trackBytes);
    expect(await exists(join(dir, archive))).toBe(false);
    // cap12's (empty) slot was archived under its own hash only if it had data: it had none.
    expect(await exists(join(dir, `replaced/target-${second.sha256.slice(0, 12)}`))).toBe(false);
    expect((await client.call('inference.frame', { dir, frame: 10 })).crop).toMatchObject({ width: 16, height: 16 });
  }, 240_000);

  it('the same video again changes nothing', async () => {
    const again = await importVideo('target', 'franck_3s.mp4');
    expect(again.notice).toBeUndefined();
    expect((await tracked('target')).framesTracked).toBe(72);
  }, 60_000);

  it('a new source turns the transfer off and resets its timing (groups kept); the old source brings both back', async () => {
    await importVideo('source', 'cap12_2s.mp4');
    await (await client.startJob('tracking.start', { dir, role: 'source' })).result;
    const { edits } = await client.call('timeline.load', { dir });
    const e = structuredClone(edits);
    e.transfer.enabled = true;
    e.transfer.trimIn = 5;
    e.transfer.timeOffsetSec = 0.5;
    e.transfer.groups.gaze.gain = 0.5;
    await client.call('timeline.save', { dir, edits: e });

    const other = await importVideo('source', 'franck_3s.mp4');
    expect(other.notice).toMatch(/transfer is off/);
    const after = (await client.call('timeline.load', { dir })).edits as typeof e;
    expect(after.transfer).toMatchObject({ enabled: false, trimIn: 0, timeOffsetSec: 0 });
    expect(after.transfer.groups.gaze.gain).toBe(0.5);
    expect((await tracked('source')).framesTracked).toBe(0);

    const back = await importVideo('source', 'cap12_2s.mp4');
    expect(back.notice).toMatch(/transfer timing came back/);
    const restored = (await client.call('timeline.load', { dir })).edits as typeof e;
    expect(restored.transfer).toMatchObject({ enabled: true, trimIn: 5, timeOffsetSec: 0.5 });
    expect((await tracked('source')).framesTracked).toBeGreaterThan(0);
  }, 240_000);

  it('refuses to replace a video that is being tracked, and to track one that is being imported', async () => {
    const job = await client.startJob('tracking.start', { dir, role: 'source', restart: true });
    await expect(client.startJob('project.importVideo', { dir, role: 'source', path: fixture('franck_3s.mp4') })).rejects.toMatchObject({ code: 'JOB_CONFLICT' });
    await job.cancel();
    await job.result.catch(() => {});
    const imp = await client.startJob('project.importVideo', { dir, role: 'source', path: fixture('franck_3s.mp4') });
    await expect(client.startJob('tracking.start', { dir, role: 'source' })).rejects.toMatchObject({ code: 'JOB_CONFLICT' });
    await imp.result;
  }, 240_000);
});
