import { FaceConditioning, frameImageToRgb8, IMAGE_KINDS } from '../../../src-shared/conditioning/index.js';
import type { ImageReply } from '../../../src-shared/ipc/contract.js';
import type { ProjectFile } from '../../../src-shared/project/schema.js';
import { pngDataUrl } from '../tracking/tracking-service.js';
import { writeConditioningPngs } from '../conditioning/writeFrame.js';
import { loadPerformance, paramsAt } from './performance.js';

export async function renderConditioningFrame(dir: string, project: ProjectFile, frame: number, size = 256) {
  const perf = await loadPerformance(dir, project);
  const fc = new FaceConditioning(perf.actor, perf.camera, size);
  const crop = perf.crops[Math.min(frame, perf.crops.length - 1)]!;
  const image = fc.render(paramsAt(perf, frame), crop);
  return { image, crop, size };
}

export async function conditioningImages(dir: string, project: ProjectFile, frame: number, size = 256) {
  const { image, crop } = await renderConditioningFrame(dir, project, frame, size);
  const rgb = new Uint8Array(size * size * 3);
  const out = {} as Record<(typeof IMAGE_KINDS)[number], ImageReply>;
  for (const kind of IMAGE_KINDS) {
    frameImageToRgb8(image, size, size, kind, rgb);
    out[kind] = { width: size, height: size, dataUrl: pngDataUrl(rgb, size, size) };
  }
  return { color: out.color, correspondence: out.correspondence, gaze: out.gaze, crop };
}

export async function writeConditioning(dir: string, project: ProjectFile, frame: number, outDir: string, size = 256): Promise<string[]> {
  const { image } = await renderConditioningFrame(dir, project, frame, size);
  return writeConditioningPngs(image, size, size, frame, outDir);
}
