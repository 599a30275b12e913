import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { CoverageFile, readJson, trackPaths } from './track-files.js';
import { trackVideoTask } from './track-video.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'trackvid-'));
  await fs.mkdir(join(dir, 'tracks'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('tracking a video that is damaged halfway', () => {
  it('keeps the frames before the damage and reports CORRUPT_MEDIA', async () => {
    const stages: string[] = [];
    const ctx = { signal: new AbortController().signal, progress: (_d: number, _t: number, s: string) => stages.push(s) };
    const args = {
      dir,
      role: 'target' as const,
      videoPath: fixture('truncated_half.mp4'),
      videoSha256: 'x'.repeat(64),
      fps: 24,
      frameCount: 72,
      width: 360,
      height: 288,
      restart: false,
      chunkFrames: 8,
    };
    await expect(trackVideoTask(args, ctx)).rejects.toMatchObject({ code: 'CORRUPT_MEDIA' });
    const cov = await readJson(trackPaths(dir, 'target').coverage, CoverageFile);
    // The fixture decodes 24-25 good frames before the damage; all of them are kept.
    expect(cov!.framesTracked).toBeGreaterThanOrEqual(16);
    expect(cov!.framesWithFace).toBe(cov!.framesTracked);
    expect(cov!.complete).toBe(false);
  });
});
