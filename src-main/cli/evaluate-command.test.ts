import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/paths.js';
import type { EvaluationReport, ImageFigures } from '../../src-shared/evaluation/schema.js';
import { evaluateRequest, formatReport } from './evaluate-command.js';
import { main } from './main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const figs = (psnrMask: number): ImageFigures => ({ psnr: 20, psnrMask, ssim: 0.8, ssimMask: 0.7, sharpness: 0.5, flicker: 0.9, identity: 0.7, identityFrames: 3 });

describe('portrait evaluate', () => {
  it('parses frames, snapshot and the fast modes; refuses bad usage', () => {
    expect(evaluateRequest({ values: {}, positionals: ['p'] })).toMatchObject({ frames: 'held-out' });
    expect(evaluateRequest({ values: { frames: '10:20', snapshot: 'good' }, positionals: ['p'] })).toMatchObject({ frames: { start: 10, end: 20 }, snapshot: 'good' });
    expect(evaluateRequest({ values: { 'pixels-only': true }, positionals: ['p'] })).toMatchObject({ control: false, identity: false, edits: false });
    expect(() => evaluateRequest({ values: { frames: '20:10' }, positionals: ['p'] })).toThrow(/start <= end/);
    expect(() => evaluateRequest({ values: { checkpoint: true, snapshot: 'x' }, positionals: ['p'] })).toThrow(/either/);
    expect(() => evaluateRequest({ values: {}, positionals: [] })).toThrow(/one project folder/);
    expect(() => evaluateRequest({ values: { 'control-frames': '0' }, positionals: ['p'] })).toThrow(/positive integer/);
  });

  it('prints the network beside every baseline and the real-frame references', () => {
    const edit = { id: 'yaw+15', label: 'Head yaw +15 deg', quantity: 'head yaw', unit: 'deg', requested: 15, measuredMedian: 11.2, measuredMin: 9, measuredMax: 13, frames: 6, lost: 0, skipped: 0 } as const;
    const r: EvaluationReport = {
      version: 1,
      createdAt: new Date().toISOString(),
      checkpoint: { snapshot: null, step: 1200, profile: 'cpu', resolution: 128 },
      frames: { selection: 'held-out', evaluated: 120, skipped: 0, controlFrames: 60, includesTrainingFrames: false },
      model: figs(22.5),
      baselines: { meanCrop: figs(22.17), nearestParams: figs(22.47), oracleRetrieval: figs(23.92), texturedModel: figs(25.57), localTexturedModel: figs(26.4) },
      control: { frames: 60, lost: 2, poseDegMedian: 1.5, poseDegMean: 1.7, gazeDegMedian: 3, gazeDegMean: 3.5, blinkAccuracy: 0.95, expressionL1: 0.05, landmarkIod: 0.02 },
      controlRealReference: null,
      identityRealReference: 0.81,
      edits: [{ ...edit, localTexturedModel: { measuredMedian: 6.5, measuredMin: 4.25, measuredMax: 7, lost: 0 } }],
      strip: null,
      seconds: 95,
      notes: [],
    };
    const text = formatReport(r);
    expect(text).toMatch(/network\s+20\.00\s+22\.50/);
    expect(text).toMatch(/oracle best train frame\s+20\.00\s+23\.92/);
    expect(text).toMatch(/textured face model\s+20\.00\s+25\.57/);
    expect(text).toMatch(/local textured model\s+20\.00\s+26\.40/);
    // a report from before the texture baselines prints without their rows and edit figures
    const older = formatReport({ ...r, baselines: { meanCrop: figs(22.17), nearestParams: figs(22.47), oracleRetrieval: figs(23.92) }, edits: [edit] });
    expect(older).not.toMatch(/textured model [\d(]/);
    expect(older).toMatch(/Head yaw \+15 deg.*measured\s+11\.20 \[9\.00, 13\.00\]$/m);
    expect(text).toMatch(/real vs real 1 s apart = 0\.810/);
    expect(text).toMatch(/real frames \(tracker floor\)\s+not measured/);
    expect(text).toMatch(/Head yaw \+15 deg.*requested\s+15\.00.*measured\s+11\.20 \[9\.00, 13\.00\]; local textured model 6\.50 \[4\.25, 7\.00\]/);
  });

  it('exits 1 with a typed error on a project that was never trained', async () => {
    const root = await fs.mkdtemp(join(tmpdir(), 'cli-eval-'));
    try {
      const dir = join(root, 'p');
      const c0 = capture();
      expect(await main(['project', 'create', dir, '--target', fixture('two_frames.mp4'), '--json'], c0.io)).toBe(0);
      const c = capture();
      expect(await main(['evaluate', dir, '--json'], c.io)).toBe(1);
      expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});
