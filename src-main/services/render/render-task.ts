/**
 * The final cut on this machine (worker thread): the range's frames (render-frames.ts) streamed
 * into ffmpeg with the chosen sound. Written to a temporary name and renamed when complete; a
 * cancel or a failure removes the partial output.
 */
import '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RenderRequest, RenderResult } from '../../../src-shared/ipc/contract.js';
import { createGenerator } from '../../net/model/generator-runner.js';
import { deserializeCheckpoint } from '../../net/checkpoint/checkpoint.js';
import type { WorkerTaskContext } from '../workers/run-in-worker.js';
import { planRender, partialOutput, publishRender } from './render-plan.js';
import { FrameEncoder } from './encoder.js';
import { checkOutputTarget } from './output-target.js';
import { removeLeftovers } from '../../fs/leftovers.js';
import { makeDir } from '../../fs/make-dir.js';
import { codecSpec } from '../../../src-shared/output/codecs.js';
import { FrameRenderer } from './render-frames.js';
import { chooseAudio } from './render-audio.js';

export type RenderArgs = RenderRequest;

export async function renderTask(req: RenderArgs, ctx: WorkerTaskContext): Promise<RenderResult> {
  const t0 = Date.now();
  const { project, latest, perf, start, count, fps } = await planRender(req);

  // Output naming: never replace an existing file unless asked; write under a temporary name.
  const png = codecSpec(req.codec).kind === 'frames';
  // Checked again here (the job may have waited): never empty a folder the studio did not render.
  const { replaces: outExists } = await checkOutputTarget(req);
  // Partials of renders killed before they could clean up go now (only those of dead processes).
  await removeLeftovers(dirname(req.out));
  const partial = partialOutput(req);
  await makeDir(png ? partial : dirname(req.out));

  ctx.progress(0, count, 'Loading the trained network');
  // The generator alone: the checkpoint (discriminator, Adam moments) is not kept.
  const net = await createGenerator(deserializeCheckpoint(await fs.readFile(latest.file)));
  let encoder: FrameEncoder | null = null;
  let frames: FrameRenderer | null = null;
  try {
    frames = await FrameRenderer.create({ dir: req.dir, project, perf, net, options: req, signal: ctx.signal });
    const audio = chooseAudio(req, project, start, count, fps);
    encoder = new FrameEncoder({
      width: frames.width,
      height: frames.height,
      fps,
      codec: req.codec,
      crf: req.crf,
      out: png ? join(partial, '%06d.png') : partial,
      audio: audio.track,
    });
    const enc = encoder;
    ctx.progress(0, count, 'Rendering');
    const done = await frames.render(start, count, (rgb) => enc.write(rgb), (d) => ctx.progress(d, count, 'Rendering'));
    if (ctx.signal.aborted) throw new PortraitError('CANCELLED', 'Rendering was cancelled; the partial file was removed.');
    // A frame or two missing at the very end (rounding of the container duration) is tolerated; more is damage.
    if (done === 0 || count - done > 2) throw new PortraitError('CORRUPT_MEDIA', `Only ${done} of ${count} frames of the target could be decoded; nothing was written.`);
    ctx.progress(done, count, 'Finishing the file');
    await encoder.finish();
    encoder = null;
    ctx.progress(done, count, 'Checking the file');
    await publishRender(partial, req, done, outExists);
    return {
      file: req.out,
      frames: done,
      fps,
      width: frames.width,
      height: frames.height,
      audio: audio.used,
      seconds: (Date.now() - t0) / 1000,
      checkpointStep: net.step,
    };
  } catch (e) {
    await encoder?.abort();
    await fs.rm(partial, { recursive: true, force: true }).catch(() => {});
    throw e;
  } finally {
    await frames?.close();
    net.dispose();
  }
}
