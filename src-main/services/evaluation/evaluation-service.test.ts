import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { EvaluationReport } from '../../../src-shared/evaluation/schema.js';
import { EDITS } from '../../../src-shared/evaluation/edits.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { PROFILE_OVERRIDES_ENV } from '../../net/model/profiles.js';

let studio: Studio;
let client: PortraitClient;
let root: string;
let dir: string;
/** The first full report's texture baselines (a network without a reference: both textures built by the evaluation). */
let textureBaselines: unknown;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'evaluate-'));
  dir = join(root, 'franck');
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
  await client.call('project.create', { dir });
  await (await client.startJob('project.importVideo', { dir, role: 'target', path: fixture('franck_3s.mp4') })).result;
  await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
}, 300_000);
afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

describe('portrait evaluate (franck, tiny profile)', () => {
  it('refuses a project without a checkpoint with a clear message', async () => {
    const job = await client.startJob('evaluation.start', { dir });
    await expect(job.result).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/Train the target actor first/) });
  });

  it('reports every figure beside the no-network baselines on the held-out frames, and keeps the report', async () => {
    await (await client.startJob('training.start', { dir, profile: 'tiny', steps: 60, validateEverySteps: 60, backend: 'wasm', resume: false })).result;
    await client.call('training.snapshot', { dir, name: 'early' });
    const job = await client.startJob('evaluation.start', { dir, maxControlFrames: 3, editFrames: 1 });
    const r = await job.result;
    expect(EvaluationReport.safeParse(r).success).toBe(true);
    expect(r.checkpoint).toMatchObject({ snapshot: null, step: 60, profile: 'tiny', resolution: 16 });
    // franck_3s has 72 frames; the last 10% (frames 64..71) are held out.
    expect(r.frames).toMatchObject({ selection: 'held-out', evaluated: 8, skipped: 0, controlFrames: 3, includesTrainingFrames: false });
    for (const f of [r.model, r.baselines.meanCrop, r.baselines.nearestParams, r.baselines.oracleRetrieval, r.baselines.texturedModel!, r.baselines.localTexturedModel!]) {
      for (const v of [f.psnr, f.psnrMask, f.ssim, f.ssimMask, f.sharpness]) expect(Number.isFinite(v)).toBe(true);
    }
    // The oracle picks the training frame closest in pixels: no parameter-based pick beats it on whole-crop PSNR.
    expect(r.baselines.oracleRetrieval.psnr!).toBeGreaterThanOrEqual(r.baselines.nearestParams.psnr! - 1e-9);
    // A mean image does not move: its flicker is 0; real training frames do move.
    expect(r.baselines.meanCrop.flicker).toBe(0);
    expect(r.baselines.nearestParams.flicker!).toBeGreaterThan(0);
    // The textured face model is the mean crop outside the face and moves with the face inside it.
    expect(r.baselines.texturedModel!.flicker!).toBeGreaterThan(0);
    // Inside the face it is nearer the real frames than the mean crop (23.2 against 22.1 dB at 16 px).
    expect(r.baselines.texturedModel!.psnrMask!).toBeGreaterThan(r.baselines.meanCrop.psnrMask!);
    // The local texture is drawn from other frames than the average: a different image. (On this
    // 3-second clip its frames must lie more than 2 s from the held-out ones, so only the first
    // 20 frames qualify: no claim about its quality here; bench/quality-ablation measures it.)
    expect(r.baselines.localTexturedModel!.psnrMask!).not.toBe(r.baselines.texturedModel!.psnrMask!);
    expect(r.baselines.localTexturedModel!.flicker!).toBeGreaterThan(0);
    textureBaselines = { textured: r.baselines.texturedModel, local: r.baselines.localTexturedModel };
    expect(r.control?.frames).toBe(3);
    expect(r.controlRealReference?.frames).toBe(3);
    // The real frames are re-tracked by the same tracker that produced their parameters.
    expect(r.controlRealReference!.lost).toBe(0);
    expect(r.controlRealReference!.poseDegMedian!).toBeLessThan(3);
    // 16 px crops hold no face the identity model can find: identity is reported as not
    // measured (null), with the reason, rather than as a number.
    expect(r.identityRealReference).toBeNull();
    expect(r.model.identity).toBeNull();
    expect(r.notes.join(' ')).toMatch(/identity model found no face/);
    expect(r.edits?.map((e) => e.id)).toEqual(EDITS.map((e) => e.id));
    expect(r.edits!.find((e) => e.id === 'yaw+15')!.requested).toBe(15);
    // Each edit is also measured on the local textured model's drawing, every frame accounted
    // for (at 16 px the re-tracker finds no face in either: lost, not a number).
    for (const e of r.edits!) {
      expect(e.localTexturedModel, e.id).toBeDefined();
      expect(e.localTexturedModel!.lost, e.id).toBeLessThanOrEqual(e.frames - e.skipped);
      expect(e.localTexturedModel!.measuredMedian === null, e.id).toBe(e.localTexturedModel!.lost === e.frames - e.skipped);
    }
    expect(r.seconds).toBeGreaterThan(0);

    const kept = await client.call('evaluation.list', { dir });
    expect(kept).toHaveLength(1);
    expect(kept[0]!.checkpoint.step).toBe(60);
  }, 600_000);

  it('evaluates a named snapshot on a frame range, pixels only', async () => {
    const r = await (await client.startJob('evaluation.start', { dir, snapshot: 'early', frames: { start: 10, end: 19 }, control: false, identity: false, edits: false })).result;
    expect(r.checkpoint.snapshot).toBe('early');
    expect(r.frames).toMatchObject({ evaluated: 10, includesTrainingFrames: true, controlFrames: 0 });
    expect(r.control).toBeNull();
    expect(r.edits).toBeNull();
    expect(r.model.identity).toBeNull();
    expect(r.notes.join(' ')).toMatch(/training frames/);
    const kept = await client.call('evaluation.list', { dir });
    expect(kept.map((k) => k.checkpoint.snapshot)).toContain('early');
  }, 300_000);

  it('names a missing snapshot and an empty range', async () => {
    await expect((await client.startJob('evaluation.start', { dir, snapshot: 'nope' })).result).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect((await client.startJob('evaluation.start', { dir, frames: { start: 500, end: 600 } })).result).rejects.toBeInstanceOf(PortraitError);
    // A snapshot name that tries to leave the project is refused by the contract itself.
    await expect(client.startJob('evaluation.start', { dir, snapshot: '../../etc/passwd' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  }, 120_000);

  it('a network whose input is the unwrapped texture (whose unwrapping the evaluation reuses): the texture baselines come out as when the evaluation builds them itself', async () => {
    // The training worker reads the overrides when it starts: keep them until the run is over.
    process.env[PROFILE_OVERRIDES_ENV] = JSON.stringify({ reference: 'unwrapped-texture' });
    try {
      await (await client.startJob('training.start', { dir, profile: 'tiny', steps: 10, validateEverySteps: 10, backend: 'wasm', resume: false })).result;
    } finally {
      delete process.env[PROFILE_OVERRIDES_ENV];
    }
    const r = await (await client.startJob('evaluation.start', { dir, control: false, identity: false, edits: false })).result;
    expect(r.checkpoint.step).toBe(10);
    expect(textureBaselines).toBeDefined();
    expect({ textured: r.baselines.texturedModel, local: r.baselines.localTexturedModel }).toEqual(textureBaselines);
  }, 300_000);
});
