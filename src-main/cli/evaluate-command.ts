import { resolve } from 'node:path';
import type { PortraitClient } from '../../src-shared/ipc/client.js';
import type { ControlFigures, EditMeasure, EvaluationReport, EvaluationRequest, ImageFigures } from '../../src-shared/evaluation/schema.js';
import { positiveIntFlag, UsageError, type Io } from './output.js';

export interface EvaluateCliOptions {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses `evaluate` arguments into a request (usage errors exit 2). */
export function evaluateRequest({ values, positionals }: EvaluateCliOptions): EvaluationRequest {
  if (positionals.length !== 1) throw new UsageError('evaluate takes exactly one project folder');
  let frames: EvaluationRequest['frames'] = 'held-out';
  if (typeof values.frames === 'string' && values.frames !== 'held-out') {
    const m = /^(\d+):(\d+)$/.exec(values.frames);
    if (!m || Number(m[1]) > Number(m[2])) throw new UsageError('--frames must be held-out or start:end frame numbers, start <= end');
    frames = { start: Number(m[1]), end: Number(m[2]) };
  }
  if (values.checkpoint !== undefined && values.snapshot !== undefined) throw new UsageError('use either --checkpoint (the latest) or --snapshot <name>, not both');
  const int = (name: string): number | undefined => positiveIntFlag(values, name);
  const controlFrames = int('control-frames');
  const editFrames = int('edit-frames');
  return {
    dir: resolve(positionals[0]!),
    frames,
    ...(typeof values.snapshot === 'string' ? { snapshot: values.snapshot } : {}),
    ...(values['pixels-only'] === true ? { control: false, identity: false, edits: false } : {}),
    ...(values['no-edits'] === true ? { edits: false } : {}),
    ...(controlFrames ? { maxControlFrames: controlFrames } : {}),
    ...(editFrames ? { editFrames } : {}),
    ...(values['no-save'] === true ? { save: false } : {}),
  };
}

export async function runEvaluateCommand(client: PortraitClient, req: EvaluationRequest, io: Io, json: boolean, onProgress: Parameters<PortraitClient['startJob']>[2]): Promise<number> {
  const job = await client.startJob('evaluation.start', req, onProgress);
  const r = await job.result;
  io.out(json ? JSON.stringify(r) : formatReport(r));
  return 0;
}

const f2 = (x: number | null | undefined, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

/** The report as an editor reads it: the model first, each baseline beside it. */
export function formatReport(r: EvaluationReport): string {
  const sel = r.frames.selection === 'held-out' ? 'held-out frames' : `frames ${r.frames.selection.start}:${r.frames.selection.end}`;
  const lines: string[] = [];
  lines.push(`${r.checkpoint.snapshot ? `Snapshot "${r.checkpoint.snapshot}"` : 'Latest checkpoint'} (step ${r.checkpoint.step}, ${r.checkpoint.profile} profile, ${r.checkpoint.resolution} px) on ${r.frames.evaluated} ${sel}${r.frames.skipped ? ` (${r.frames.skipped} without a face skipped)` : ''}; ${r.seconds.toFixed(0)} s`);
  lines.push('');
  const row = (name: string, f: ImageFigures) =>
    `${name.padEnd(28)} ${f2(f.psnr).padStart(7)} ${f2(f.psnrMask).padStart(7)} ${f2(f.ssim, 3).padStart(6)} ${f2(f.ssimMask, 3).padStart(6)} ${f2(f.sharpness).padStart(6)} ${f2(f.flicker).padStart(6)} ${f2(f.identity, 3).padStart(6)}`;
  lines.push(`${'predictor'.padEnd(28)} ${'PSNR'.padStart(7)} ${'PSNR-m'.padStart(7)} ${'SSIM'.padStart(6)} ${'SSIM-m'.padStart(6)} ${'sharp'.padStart(6)} ${'flick'.padStart(6)} ${'ident'.padStart(6)}`);
  lines.push(row('network', r.model));
  lines.push(row('mean training crop', r.baselines.meanCrop));
  lines.push(row('nearest params (train)', r.baselines.nearestParams));
  lines.push(row('oracle best train frame', r.baselines.oracleRetrieval));
  if (r.baselines.texturedModel) lines.push(row('textured face model', r.baselines.texturedModel));
  if (r.baselines.localTexturedModel) lines.push(row('local textured model', r.baselines.localTexturedModel));
  lines.push(`(PSNR dB whole crop / inside the face mask; SSIM Wang 2004; sharpness and flicker relative to the real frames = 1.00; identity: cosine, real vs real 1 s apart = ${f2(r.identityRealReference, 3)})`);
  const measuredText = (m: EditMeasure) => `${f2(m.measuredMedian).padStart(6)} [${f2(m.measuredMin)}, ${f2(m.measuredMax)}]`;
  const ctl = (name: string, c: ControlFigures | null) =>
    c ? `${name.padEnd(28)} pose ${f2(c.poseDegMedian)} deg (mean ${f2(c.poseDegMean)}), gaze ${f2(c.gazeDegMedian)} deg, blink ${c.blinkAccuracy === null ? '-' : `${(100 * c.blinkAccuracy).toFixed(0)}%`}, expression L1 ${f2(c.expressionL1, 3)}, landmarks ${f2(c.landmarkIod, 3)} IOD; ${c.frames - c.lost}/${c.frames} frames re-tracked` : `${name.padEnd(28)} not measured`;
  lines.push('');
  lines.push('Control (re-tracked vs requested, medians):');
  lines.push(ctl('network output', r.control));
  lines.push(ctl('real frames (tracker floor)', r.controlRealReference));
  if (r.edits) {
    lines.push('');
    lines.push('Edits (measured change of the re-tracked output vs the unedited output; the local textured model, no network, drawn with the same edit):');
    for (const e of r.edits) {
      lines.push(`  ${e.label.padEnd(46)} requested ${f2(e.requested).padStart(6)} ${e.unit.padEnd(11)} measured ${measuredText(e)}${e.lost ? ` (${e.lost}/${e.frames} lost)` : ''}${e.skipped ? ` (${e.skipped}/${e.frames} frames already there, skipped)` : ''}${e.localTexturedModel ? `; local textured model ${measuredText(e.localTexturedModel).trimStart()}` : ''}`);
    }
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
