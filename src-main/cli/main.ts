import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createStudio } from '../services/index.js';
import { uncoveredTail, type AfterSourceEnd } from '../../src-shared/timeline/index.js';
import { studioClient } from '../services/studio-client.js';
import { APP_VERSION } from '../services/version.js';
import type { MediaInfo } from '../../src-shared/media/schema.js';
import type { ProjectInfo, TrainingResult } from '../../src-shared/ipc/contract.js';
import type { VideoRole } from '../../src-shared/project/schema.js';
import { isPortraitError, PortraitError } from '../../src-shared/ipc/errors.js';
import { formatBytes, formatDuration, positiveIntFlag, processIo, reportError, UsageError, type Io } from './output.js';
import { runHostCommand } from './host-command.js';
import { runWorkerCommand } from './worker-command.js';
import { evaluateRequest, runEvaluateCommand } from './evaluate-command.js';
import { count } from '../../src-shared/text/count.js';
import { CODEC_IDS } from '../../src-shared/output/codecs.js';
import { farmUrlProblem } from '../../src-shared/output/farm-url.js';
import { BACKEND_IDS } from '../../src-shared/net/backends.js';
import { isProfileName, PROFILE_NAMES } from '../../src-shared/net/profiles.js';

export const HELP = `portrait ${APP_VERSION} — Portrait Studio command line

Usage:
  portrait probe <video> [--json]
  portrait project create <dir> [--name <name>] [--target <video>] [--source <video>] [--json]
  portrait project import <dir> [--target <video>] [--source <video>] [--json]
  portrait project info <dir> [--json]
  portrait track <project> [--video target|source] [--restart] [--json]
  portrait reenact <project> --source <video> [--groups head,gaze,blink,expression] [--gain <g>] [--offset <sec>] [--after-end target|hold|loop|ease] [--ease-frames <n>] [--json]
  portrait train <project> [--profile ${PROFILE_NAMES.join('|')}] [--steps <n>] [--restart] [--from-snapshot <name>]
                 [--batch <n>] [--threads auto|<n>] [--backend ${BACKEND_IDS.join('|')}] [--checkpoint-every <steps>] [--json]
  portrait snapshot <project> <name> [--json]
  portrait evaluate <project> [--frames held-out|a:b] [--checkpoint | --snapshot <name>] [--pixels-only] [--no-edits]
                    [--control-frames <n>] [--edit-frames <n>] [--no-save] [--json]
  portrait render <project> --out <file.mp4> [--range a:b] [--audio target|source|none] [--codec ${CODEC_IDS.join('|')}]
                  [--crf <n>] [--layout full|crop|compare] [--no-color-match] [--fill-missing-faces] [--overwrite]
                  [--farm redis://host:port [--chunk-frames <n>]] [--json]
  portrait worker --farm redis://host:port [--map-path FROM=TO]... [--lock-seconds <s>] [--give-up-seconds <s>] [--name <name>] [--json]
  portrait conditioning <project> --frame <n> --out <dir> [--size <px>] [--json]
  portrait host [--port <n>] [--host <addr>] [--allow-remote --projects-root <dir>...]

Every command runs the same services as the studio. With --json, output is one JSON
document on stdout (errors too: {"error":{"code","message"}}); the shapes are documented
in README.md ("CLI JSON output").
Exit codes: 0 success, 1 failure (typed error printed), 2 usage error.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(HELP);
      return 0;
    }
    if (argv[0] === '--version') {
      io.out(APP_VERSION);
      return 0;
    }
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case 'probe':
        return await probeCommand(rest, io);
      case 'project':
        return await projectCommand(rest, io);
      case 'host':
        return await runHostCommand(rest, io);
      case 'track':
        return await trackCommand(rest, io);
      case 'reenact':
        return await reenactCommand(rest, io);
      case 'conditioning':
        return await conditioningCommand(rest, io);
      case 'train':
        return await trainCommand(rest, io);
      case 'snapshot':
        return await snapshotCommand(rest, io);
      case 'render':
        return await renderCommand(rest, io);
      case 'worker':
        return await runWorkerCommand(rest, io);
      case 'evaluate':
        return await evaluateCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${cmd}"`);
    }
  } catch (e) {
    return reportError(io, e, json);
  }
}

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    const r = parseArgs({ args, options: { json: { type: 'boolean' }, ...options }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function probeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('probe takes exactly one video path');
  const studio = createStudio({ mode: 'browser', owner: 'portrait CLI' });
  try {
    const info = await studioClient(studio).call('media.probe', { path: resolve(positionals[0]!) });
    io.out(values.json ? JSON.stringify(info) : describeMedia(info));
    return 0;
  } finally {
    await studio.dispose();
  }
}

async function projectCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create' || sub === 'import') {
    const { values, positionals } = parse(rest, { name: { type: 'string' }, target: { type: 'string' }, source: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError(`project ${sub} takes exactly one folder`);
    const roles = (['target', 'source'] as VideoRole[]).filter((r) => typeof values[r] === 'string');
    if (sub === 'import' && roles.length === 0) throw new UsageError('project import needs --target <video> and/or --source <video>');
    if (sub === 'import' && values.name !== undefined) throw new UsageError('--name is for project create');
    const dir = resolve(positionals[0]!);
    const studio = createStudio({ mode: 'browser', owner: 'portrait CLI' });
    const client = studioClient(studio);
    try {
      // Every video is checked (header, first and last frame) before anything is written, so a
      // bad file never leaves a half-made project behind.
      for (const role of roles) {
        try {
          await client.call('media.probe', { path: resolve(values[role] as string) });
        } catch (e) {
          if (isPortraitError(e)) throw new PortraitError(e.code, `The ${role} video: ${e.message}${sub === 'create' ? ' No project was created.' : ''}`);
          throw e;
        }
      }
      if (sub === 'create') await client.call('project.create', { dir, ...(values.name ? { name: String(values.name) } : {}) });
      else await client.call('project.open', { dir });
      for (const role of roles) {
        const job = await client.startJob('project.importVideo', { dir, role, path: resolve(values[role] as string) }, (p) => {
          if (!values.json && p.total > 0) io.err(`  ${role}: ${p.stage} ${Math.round((100 * p.done) / p.total)}%`);
        });
        try {
          const r = await job.result;
          if (r.notice && !values.json) io.err(`  ${role}: ${r.notice}`);
        } catch (e) {
          if (!isPortraitError(e) || e.code === 'CANCELLED') throw e;
          throw new PortraitError(e.code, `${e.message} The project is kept; attach the ${role} video later with \`portrait project import ${dir} --${role} <video>\`.`);
        }
      }
      const info = await client.call('project.info', { dir });
      io.out(values.json ? JSON.stringify(info) : describeProject(info));
      return 0;
    } finally {
      await studio.dispose();
    }
  }
  if (sub === 'info') {
    const { values, positionals } = parse(rest, {});
    if (positionals.length !== 1) throw new UsageError('project info takes exactly one folder');
    const studio = createStudio({ mode: 'browser', owner: 'portrait CLI' });
    try {
      const info = await studioClient(studio).call('project.info', { dir: resolve(positionals[0]!) });
      io.out(values.json ? JSON.stringify(info) : describeProject(info));
      return 0;
    } finally {
      await studio.dispose();
    }
  }
  throw new UsageError(`unknown project command "${sub ?? ''}" (create, import, info)`);
}

/**
 * Runs a command in its own studio; with `dir`, the project is opened first (the studio acts
 * only on projects its session opened, and the open takes the project's lock).
 */
async function withStudio<T>(fn: (client: ReturnType<typeof studioClient>, studio: ReturnType<typeof createStudio>) => Promise<T>, dir?: string): Promise<T> {
  const studio = createStudio({ mode: 'browser', owner: 'portrait CLI' });
  // Ctrl+C cancels running jobs (they keep what they finished) instead of killing mid-write.
  const onSig = () => void studio.runner.shutdown();
  process.once('SIGINT', onSig);
  try {
    const client = studioClient(studio);
    if (dir !== undefined) await client.call('project.open', { dir });
    return await fn(client, studio);
  } finally {
    process.off('SIGINT', onSig);
    await studio.dispose();
  }
}

function progressPrinter(io: Io, json: boolean) {
  let last = '';
  return (p: { stage: string; done: number; total: number; etaSec: number | null }) => {
    if (json) return;
    const pct = p.total > 0 ? `${Math.floor((100 * p.done) / p.total)}%` : '';
    const line = `${p.stage} ${p.done}/${p.total} ${pct}${p.etaSec !== null ? ` ETA ${formatDuration(p.etaSec)}` : ''}`;
    if (line !== last) io.err(line);
    last = line;
  };
}

async function trackCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { video: { type: 'string' }, restart: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('track takes exactly one project folder');
  const role = (values.video ?? 'target') as string;
  if (role !== 'target' && role !== 'source') throw new UsageError('--video must be target or source');
  const dir = resolve(positionals[0]!);
  return withStudio(async (client) => {
    const job = await client.startJob('tracking.start', { dir, role, restart: values.restart === true }, progressPrinter(io, values.json === true));
    const r = await job.result;
    if (values.json) io.out(JSON.stringify(r));
    else {
      io.out(`${role}: ${r.framesTracked}/${count(r.frames, 'frame')} tracked, ${r.framesWithFace} with a usable face${r.resumedFrom ? ` (resumed at frame ${r.resumedFrom})` : ''}`);
      for (const w of r.warnings) io.out(`warning: ${w}`);
    }
    return 0;
  }, dir);
}

const GROUPS = ['head', 'gaze', 'blink', 'expression'] as const;
const AFTER_END: readonly AfterSourceEnd[] = ['target', 'hold', 'loop', 'ease'];

/** Headless reenactment: import + track the source, then turn transfer on in the edits. */
async function reenactCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    source: { type: 'string' },
    groups: { type: 'string' },
    gain: { type: 'string' },
    offset: { type: 'string' },
    'after-end': { type: 'string' },
    'ease-frames': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('reenact takes exactly one project folder');
  if (typeof values.source !== 'string') throw new UsageError('--source <video> is required');
  const groups = typeof values.groups === 'string' ? values.groups.split(',').map((g) => g.trim()) : [...GROUPS];
  const bad = groups.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (bad.length) throw new UsageError(`unknown group(s) ${bad.join(', ')} (head, gaze, blink, expression)`);
  const gain = values.gain === undefined ? 1 : Number(values.gain);
  const offset = values.offset === undefined ? 0 : Number(values.offset);
  if (!Number.isFinite(gain) || !Number.isFinite(offset)) throw new UsageError('--gain and --offset must be numbers');
  const afterEnd = (values['after-end'] ?? 'target') as string;
  if (!AFTER_END.includes(afterEnd as AfterSourceEnd)) throw new UsageError(`--after-end must be ${AFTER_END.join(', ')}`);
  const easeFrames = values['ease-frames'] === undefined ? 12 : Number(values['ease-frames']);
  if (!Number.isInteger(easeFrames) || easeFrames < 1 || easeFrames > 10_000) throw new UsageError('--ease-frames must be a whole number of frames, 1..10000');
  const dir = resolve(positionals[0]!);
  const json = values.json === true;
  return withStudio(async (client) => {
    const info = await client.call('project.open', { dir });
    if (!info.project.media.target) throw new PortraitError('BAD_REQUEST', 'Import and track a target video first.');
    const show = progressPrinter(io, json);
    if (info.tracking.find((t) => t.role === 'target')?.framesTracked !== info.project.media.target.probe.frameCount) {
      await (await client.startJob('tracking.start', { dir, role: 'target' }, show)).result;
    }
    const imported = await (await client.startJob('project.importVideo', { dir, role: 'source', path: resolve(values.source as string) }, show)).result;
    if (imported.notice && !json) io.err(imported.notice);
    const tracked = await (await client.startJob('tracking.start', { dir, role: 'source' }, show)).result;
    const { edits: e } = await client.call('timeline.load', { dir });
    e.transfer.enabled = true;
    e.transfer.timeOffsetSec = offset;
    e.transfer.afterEnd = afterEnd as AfterSourceEnd;
    e.transfer.easeFrames = easeFrames;
    for (const g of GROUPS) e.transfer.groups[g] = { enabled: groups.includes(g), gain };
    await client.call('timeline.save', { dir, edits: e });
    const src = imported.probe;
    const tgt = info.project.media.target.probe;
    const tail = uncoveredTail(src.frameCount, src.fps, tgt.frameCount, tgt.fps, e.transfer);
    const summary = { source: tracked, transfer: e.transfer, sourceEndsAtTargetFrame: tail?.from ?? null };
    if (json) io.out(JSON.stringify(summary));
    else {
      io.out(`Transfer on: ${groups.join(', ')} (gain ${gain}, offset ${offset}s) from ${tracked.framesWithFace}/${tracked.frames} source frames with a face.`);
      if (tail) io.out(`note: the source ends ${tail.seconds.toFixed(1)} s before the target (at target frame ${tail.from}); after it: ${afterEnd}${afterEnd === 'target' ? ' (the target cuts back to its own motion; --after-end hold|loop|ease to change)' : ''}.`);
    }
    return 0;
  });
}

async function trainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    profile: { type: 'string' },
    steps: { type: 'string' },
    restart: { type: 'boolean' },
    resume: { type: 'boolean' },
    'from-snapshot': { type: 'string' },
    batch: { type: 'string' },
    backend: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'validate-every': { type: 'string' },
    seed: { type: 'string' },
    threads: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('train takes exactly one project folder');
  const threadsArg = values.threads as string | undefined;
  if (threadsArg !== undefined && threadsArg !== 'auto' && !(Number.isInteger(Number(threadsArg)) && Number(threadsArg) >= 1)) throw new UsageError('--threads must be auto or a positive integer');
  const int = (name: string): number | undefined => positiveIntFlag(values, name);
  const profile = values.profile as string | undefined;
  if (profile !== undefined && !isProfileName(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}`);
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !(BACKEND_IDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_IDS.join(', ')}`);
  const dir = resolve(positionals[0]!);
  const json = values.json === true;
  return withStudio(async (client) => {
    let lastPrint = 0;
    const job = await client.startJob(
      'training.start',
      {
        dir,
        ...(profile ? { profile } : {}),
        ...(int('steps') ? { steps: int('steps')! } : {}),
        resume: values.restart !== true,
        ...(typeof values['from-snapshot'] === 'string' ? { fromSnapshot: values['from-snapshot'] } : {}),
        ...(int('batch') ? { batch: int('batch')! } : {}),
        ...(backend ? { backend: backend as 'wasm' } : {}),
        ...(int('checkpoint-every') ? { checkpointEverySteps: int('checkpoint-every')! } : {}),
        ...(int('validate-every') ? { validateEverySteps: int('validate-every')! } : {}),
        ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
        ...(threadsArg !== undefined ? { threads: threadsArg === 'auto' ? ('auto' as const) : Number(threadsArg) } : {}),
      },
      (p) => {
        if (json) return;
        const m = p.metrics;
        const now = Date.now();
        if (m && now - lastPrint < 1000 && p.done < p.total) return;
        lastPrint = now;
        const losses = m ? ` G ${m['lossG']?.toFixed(3)} D ${m['lossD']?.toFixed(3)} L1 ${m['lossL1']?.toFixed(4)}${m['psnr'] !== undefined ? ` val PSNR ${m['psnr'].toFixed(2)} dB SSIM ${m['ssim']?.toFixed(3)}` : ''} ${m['stepsPerSec']?.toFixed(2)} steps/s` : '';
        io.err(`${p.stage} ${p.done}/${p.total}${losses}${p.etaSec !== null ? ` ETA ${formatDuration(p.etaSec)}` : ''}`);
      },
    );
    let r: TrainingResult;
    try {
      r = await job.result;
    } catch (e) {
      if (!(isPortraitError(e) && e.code === 'CANCELLED')) throw e;
      // Ctrl+C: the worker wrote a checkpoint on its way out; say where the next run resumes.
      const st = await client.call('training.status', { dir });
      if (json) io.out(JSON.stringify({ stopped: true, step: st.lastStep }));
      else io.err(`Training stopped at step ${st.lastStep ?? 0}; its checkpoint is kept. Run the same command to resume.`);
      return 130;
    }
    if (json) io.out(JSON.stringify(r));
    else {
      io.out(`Trained ${r.profile} on ${r.backend}: steps ${r.startStep} -> ${r.step}`);
      if (r.validation) io.out(`Held-out frames: PSNR ${r.validation.psnr.toFixed(2)} dB, SSIM ${r.validation.ssim.toFixed(3)}, L1 ${r.validation.l1.toFixed(4)}`);
      if (r.checkpoint) io.out(`Checkpoint: ${r.checkpoint}`);
    }
    return 0;
  }, dir);
}

async function renderCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    out: { type: 'string' },
    range: { type: 'string' },
    audio: { type: 'string' },
    codec: { type: 'string' },
    crf: { type: 'string' },
    layout: { type: 'string' },
    'no-color-match': { type: 'boolean' },
    'fill-missing-faces': { type: 'boolean' },
    overwrite: { type: 'boolean' },
    farm: { type: 'string' },
    'chunk-frames': { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('render takes exactly one project folder');
  if (values['chunk-frames'] !== undefined && typeof values.farm !== 'string') throw new UsageError('--chunk-frames is for a farm render (--farm redis://host:port)');
  const chunkFrames = positiveIntFlag(values, 'chunk-frames');
  if (typeof values.farm === 'string') {
    const problem = farmUrlProblem(values.farm);
    if (problem) throw new UsageError(problem);
  }
  if (typeof values.out !== 'string') throw new UsageError('--out <file> is required');
  const pick = <T extends string>(name: string, allowed: readonly T[], dflt: T): T => {
    const v = values[name];
    if (v === undefined) return dflt;
    if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
    return v as T;
  };
  let range: { start: number; end: number } | undefined;
  if (typeof values.range === 'string') {
    const m = /^(\d+):(\d+)$/.exec(values.range);
    if (!m || Number(m[1]) > Number(m[2])) throw new UsageError('--range must be start:end frame numbers, start <= end');
    range = { start: Number(m[1]), end: Number(m[2]) };
  }
  const crf = values.crf === undefined ? 18 : Number(values.crf);
  if (!Number.isInteger(crf) || crf < 0 || crf > 51) throw new UsageError('--crf must be 0..51');
  const dir = resolve(positionals[0]!);
  const json = values.json === true;
  return withStudio(async (client) => {
    const job = await client.startJob(
      'render.start',
      {
        dir,
        out: resolve(values.out as string),
        ...(range ? { range } : {}),
        ...(values.audio !== undefined ? { audio: pick('audio', ['target', 'source', 'none'] as const, 'target') } : {}),
        codec: pick('codec', CODEC_IDS, 'h264'),
        crf,
        layout: pick('layout', ['full', 'crop', 'compare'] as const, 'full'),
        colorMatch: values['no-color-match'] !== true,
        fillMissingFaces: values['fill-missing-faces'] === true,
        overwrite: values.overwrite === true,
        ...(typeof values.farm === 'string' ? { farm: { url: values.farm, ...(chunkFrames ? { chunkFrames } : {}) } } : {}),
      },
      progressPrinter(io, json),
    );
    const r = await job.result;
    io.out(json ? JSON.stringify(r) : `Rendered ${count(r.frames, 'frame')} (${r.width}x${r.height} @ ${r.fps} fps, audio: ${r.audio}) to ${r.file} in ${r.seconds.toFixed(1)} s`);
    return 0;
  }, dir);
}

async function evaluateCommand(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, {
    frames: { type: 'string' },
    checkpoint: { type: 'boolean' },
    snapshot: { type: 'string' },
    'pixels-only': { type: 'boolean' },
    'no-edits': { type: 'boolean' },
    'control-frames': { type: 'string' },
    'edit-frames': { type: 'string' },
    'no-save': { type: 'boolean' },
  });
  const req = evaluateRequest(parsed);
  const json = parsed.values.json === true;
  return withStudio((client) => runEvaluateCommand(client, req, io, json, progressPrinter(io, json)), req.dir);
}

async function snapshotCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals.length !== 2) throw new UsageError('snapshot takes a project folder and a name');
  const dir = resolve(positionals[0]!);
  return withStudio(async (client) => {
    const s = await client.call('training.snapshot', { dir, name: positionals[1]! });
    io.out(values.json ? JSON.stringify(s) : `Snapshot "${s.name}" at step ${s.step}${s.psnr !== null ? ` (held-out PSNR ${s.psnr.toFixed(2)} dB)` : ''}`);
    return 0;
  }, dir);
}

async function conditioningCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { frame: { type: 'string' }, out: { type: 'string' }, size: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('conditioning takes exactly one project folder');
  const frame = Number(values.frame);
  if (!Number.isInteger(frame) || frame < 0) throw new UsageError('--frame must be a frame number (0-based)');
  if (typeof values.out !== 'string') throw new UsageError('--out <dir> is required');
  const size = values.size === undefined ? 256 : Number(values.size);
  if (!Number.isInteger(size) || size < 32 || size > 1024) throw new UsageError('--size must be 32..1024');
  const dir = resolve(positionals[0]!);
  const { writeConditioning } = await import('../services/timeline/conditioning-service.js');
  const { readProjectFile } = await import('../services/project/project-store.js');
  const { project } = await readProjectFile(dir);
  const files = await writeConditioning(dir, project, frame, resolve(values.out), size);
  io.out(values.json ? JSON.stringify({ frame, size, files }) : files.join('\n'));
  return 0;
}

export function describeMedia(m: MediaInfo): string {
  const audio = m.audio.length
    ? m.audio.map((a) => `${a.codec} ${a.sampleRate} Hz ${a.channels}ch`).join(', ')
    : 'none';
  return [
    m.path,
    `  video:    ${m.videoCodec} ${m.width}x${m.height}${m.rotation ? ` rotated ${m.rotation}° (shown ${m.displayWidth}x${m.displayHeight})` : ''}, ${m.pixelFormat}`,
    `  rate:     ${m.fps.toFixed(3)} fps${m.variableFrameRate ? ' (variable: normalised to constant on decode)' : ''}`,
    `  duration: ${formatDuration(m.durationSec)} (${count(m.frameCount, 'frame')})`,
    `  audio:    ${audio}`,
    `  file:     ${m.container}, ${formatBytes(m.sizeBytes)}`,
  ].join('\n');
}

export function describeProject(info: ProjectInfo): string {
  const p = info.project;
  const lines = [`${p.name}  (${info.dir})`, `  format: v${p.schemaVersion}${info.migratedFrom !== null ? ` (migrated from v${info.migratedFrom}, saved on next change)` : ''}`];
  for (const role of ['target', 'source'] as VideoRole[]) {
    const m = p.media[role];
    lines.push(`  ${role}: ${m ? `${m.path} — ${m.probe.displayWidth}x${m.probe.displayHeight} ${m.probe.fps} fps ${count(m.probe.frameCount, 'frame')}` : '(none)'}`);
  }
  for (const t of info.tracking) lines.push(`  tracking ${t.role}: ${t.framesTracked}/${count(t.frames, 'frame')} tracked, ${t.framesWithFace} with a usable face`);
  lines.push(`  training: ${count(info.training.checkpoints, 'checkpoint')}${info.training.lastStep !== null ? `, last step ${info.training.lastStep}` : ''}`);
  lines.push(`  renders: ${info.renders.length ? info.renders.map((r) => r.file).join(', ') : '(none)'}`);
  return lines.join('\n');
}
