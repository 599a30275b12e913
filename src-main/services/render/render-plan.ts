import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RenderRequest } from '../../../src-shared/ipc/contract.js';
import { codecSpec, defaultExtension } from '../../../src-shared/output/codecs.js';
import { readProjectFile } from '../project/project-store.js';
import { loadPerformance } from '../timeline/performance.js';
import { listCheckpoints } from '../training/training-files.js';
import { writePngMarker } from './output-target.js';
import { verifyRender } from './verify-output.js';

/**
 * What a render of `req` works from, checked the same way on one machine and on the farm: the
 * project, its latest checkpoint, the edited performance and the frame range.
 */
export async function planRender(req: RenderRequest) {
  const { project } = await readProjectFile(req.dir);
  const target = project.media.target;
  if (!target) throw new PortraitError('BAD_REQUEST', 'The project has no target video.');
  const ckpts = await listCheckpoints(req.dir);
  const latest = ckpts[ckpts.length - 1];
  if (!latest) throw new PortraitError('BAD_REQUEST', 'Train the target actor before rendering: there is no checkpoint yet.');
  const perf = await loadPerformance(req.dir, project);
  const n = perf.frameCount;
  const start = req.range?.start ?? 0;
  const end = Math.min(n - 1, req.range?.end ?? n - 1);
  if (start > end) throw new PortraitError('BAD_REQUEST', `Empty range ${start}..${end} (the video has ${n} frames).`);
  return { project, target, latest, perf, start, end, count: end - start + 1, fps: perf.fps };
}

/**
 * The temporary name a render writes before it renames into place (a frame folder for PNG):
 * one scheme, so the leftovers of a killed process are found whoever wrote them.
 */
export function partialOutput(req: Pick<RenderRequest, 'out' | 'codec'>, pid = process.pid): string {
  if (codecSpec(req.codec).kind === 'frames') return `${req.out}.partial-${pid}`;
  return join(dirname(req.out), `.${basename(req.out, extname(req.out))}.partial-${pid}${extname(req.out) || defaultExtension(req.codec)}`);
}

/**
 * The finished output under its temporary name becomes the render: checked (frame count,
 * codec), marked when a frame folder, then renamed into place (a file atomically; an earlier
 * render's folder, which checkOutputTarget proved ours, is removed first).
 */
export async function publishRender(partial: string, req: Pick<RenderRequest, 'out' | 'codec'>, frames: number, replacesOurFolder: boolean): Promise<void> {
  await verifyRender(partial, req.codec, frames);
  if (codecSpec(req.codec).kind === 'frames') {
    await writePngMarker(partial, frames);
    if (replacesOurFolder) await fs.rm(req.out, { recursive: true, force: true });
  }
  await fs.rename(partial, req.out);
}
