/**
 * A farm worker's render thread: renders one chunk (a sub-range) with the same per-frame code
 * as the one-machine render into a segment file (or frame folder) without sound, under a
 * temporary name renamed into place when complete, so a segment that exists is whole. The
 * thread stays up between chunks and keeps the last generator loaded: consecutive chunks of a
 * render use the same checkpoint.
 */
import '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { PortraitError } from '../../../../src-shared/ipc/errors.js';
import type { RenderRequest } from '../../../../src-shared/ipc/contract.js';
import { codecSpec } from '../../../../src-shared/output/codecs.js';
import { readProjectFile } from '../../project/project-store.js';
import { loadPerformance } from '../../timeline/performance.js';
import { createGenerator, type GeneratorRunner } from '../../../net/model/generator-runner.js';
import { deserializeCheckpoint } from '../../../net/checkpoint/checkpoint.js';
import { FrameEncoder } from '../encoder.js';
import { verifyRender } from '../verify-output.js';
import { FrameRenderer } from '../render-frames.js';
import { mapPath, segmentTempName, type PathMap } from './chunks.js';

/** What the submitter puts in a chunk's job (paths as the submitting machine sees them). */
export interface ChunkJob {
  renderId: string;
  index: number;
  start: number;
  count: number;
  offset: number;
  /** The range's last chunk: it may come up a frame or two short at the end of the video, as a one-machine render may. */
  last: boolean;
  dir: string;
  segDir: string;
  segment: string;
  /** The checkpoint every chunk uses, fixed when the render was submitted (training may go on meanwhile). */
  checkpoint: string;
  /** The timeline edits at submit time, for the same reason. */
  edits: unknown;
  codec: RenderRequest['codec'];
  crf: number;
  layout: RenderRequest['layout'];
  colorMatch: boolean;
  fillMissingFaces: boolean;
  /**
   * The submitter keeps a heartbeat for this render (abandoned.ts): without it in Redis the chunk
   * is abandoned. Absent in chunks queued by an older studio, which are never taken for abandoned.
   */
  heartbeat?: boolean;
}

export interface ChunkResult {
  frames: number;
  width: number;
  height: number;
  fps: number;
  checkpointStep: number;
}

export interface ChunkArgs {
  job: ChunkJob;
  maps: PathMap[];
  /** Names this worker in temporary segment names. */
  worker: string;
}

let loaded: { key: string; net: GeneratorRunner } | null = null;

async function generatorFor(file: string): Promise<GeneratorRunner> {
  const st = await fs.stat(file).catch(() => null);
  if (!st) throw new PortraitError('FILE_NOT_FOUND', `The checkpoint ${file} is not there on this worker (was it deleted, or is the project folder under another path here? see --map-path).`);
  const key = `${file}\0${st.size}\0${st.mtimeMs}`;
  if (loaded?.key === key) return loaded.net;
  loaded?.net.dispose();
  loaded = null;
  const net = await createGenerator(deserializeCheckpoint(await fs.readFile(file)));
  loaded = { key, net };
  return net;
}

export async function renderChunk(args: ChunkArgs, signal: AbortSignal, progress: (done: number, total: number) => void): Promise<ChunkResult> {
  const { job, maps } = args;
  const dir = mapPath(job.dir, maps);
  const segDir = mapPath(job.segDir, maps);
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new PortraitError('PROJECT_NOT_FOUND', `The project folder ${dir} is not there on this worker${maps.length ? '' : ' (if this machine sees it under another path, start the worker with --map-path FROM=TO)'}.`);
  const { project } = await readProjectFile(dir);
  project.edits = job.edits as typeof project.edits;
  for (const role of ['target', 'source'] as const) {
    const m = project.media[role];
    if (m) m.path = mapPath(m.path, maps);
  }
  if (!project.media.target) throw new PortraitError('BAD_REQUEST', 'The project has no target video.');
  const perf = await loadPerformance(dir, project);
  if (job.start + job.count > perf.frameCount) throw new PortraitError('BAD_REQUEST', `Frames ${job.start}..${job.start + job.count - 1} are outside the target's ${perf.frameCount} frames.`);
  const net = await generatorFor(mapPath(job.checkpoint, maps));
  const png = codecSpec(job.codec).kind === 'frames';
  // The farm folder is the submitter's: a missing one means the render was cancelled or finished, never recreated here.
  if (!(await fs.stat(segDir).catch(() => null))?.isDirectory()) throw new PortraitError('CANCELLED', `The render's segment folder ${segDir} is gone (the render was cancelled or has ended).`);
  const tmp = join(segDir, segmentTempName(job.segment, args.worker));
  const final = join(segDir, job.segment);
  await fs.rm(tmp, { recursive: true, force: true });
  if (png) await fs.mkdir(tmp);
  let encoder: FrameEncoder | null = null;
  const frames = await FrameRenderer.create({ dir, project, perf, net, options: job, signal });
  try {
    encoder = new FrameEncoder({
      width: frames.width,
      height: frames.height,
      fps: perf.fps,
      codec: job.codec,
      crf: job.crf,
      out: png ? join(tmp, '%06d.png') : tmp,
      // The sound is muxed once, over the joined video.
      audio: null,
    });
    const enc = encoder;
    progress(0, job.count);
    const done = await frames.render(job.start, job.count, (rgb) => enc.write(rgb), (d) => progress(d, job.count));
    if (signal.aborted) throw new PortraitError('CANCELLED', 'The chunk was cancelled.');
    const short = job.count - done;
    if (done === 0 || short > (job.last ? 2 : 0)) throw new PortraitError('CORRUPT_MEDIA', `Only ${done} of the ${job.count} target frames ${job.start}..${job.start + job.count - 1} could be decoded.`);
    await encoder.finish();
    encoder = null;
    await verifyRender(tmp, job.codec, done);
    // A retried chunk replaces what an earlier attempt may have left.
    if (png) await fs.rm(final, { recursive: true, force: true });
    await fs.rename(tmp, final);
    return { frames: done, width: frames.width, height: frames.height, fps: perf.fps, checkpointStep: net.step };
  } catch (e) {
    encoder?.abort();
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw e;
  } finally {
    await frames.close();
  }
}

type ChunkMessage = { type: 'chunk'; id: number; args: ChunkArgs } | { type: 'stop'; id: number };

/** The thread's loop (entry.mjs serve mode): one chunk at a time, each with its own stop. */
export async function serveChunks(_args: unknown, ctx: { port: Pick<MessagePort, 'on' | 'postMessage'> }): Promise<void> {
  const running = new Map<number, AbortController>();
  ctx.port.on('message', (m: ChunkMessage) => {
    if (m.type === 'stop') {
      running.get(m.id)?.abort();
      return;
    }
    if (m.type !== 'chunk') return;
    const ac = new AbortController();
    running.set(m.id, ac);
    renderChunk(m.args, ac.signal, (done, total) => ctx.port.postMessage({ type: 'progress', id: m.id, done, total }))
      .then(
        (value) => ctx.port.postMessage({ type: 'result', id: m.id, value }),
        (e: unknown) => {
          const err = e as { code?: unknown; message?: string };
          ctx.port.postMessage({ type: 'failed', id: m.id, error: { code: typeof err?.code === 'string' ? err.code : 'INTERNAL', message: err?.message ?? String(e) } });
        },
      )
      .finally(() => running.delete(m.id));
  });
  // Serves until the thread is terminated.
  await new Promise<never>(() => {});
}
