import { makeDir } from '../../fs/make-dir.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { frameImageToRgb8, IMAGE_KINDS, type ImageKind } from '../../../src-shared/conditioning/index.js';
import { encodePng } from '../../fs/png.js';

/** File name of one conditioning image, e.g. `000012_correspondence.png`. */
export function conditioningFileName(frame: number, kind: ImageKind): string {
  return `${String(frame).padStart(6, '0')}_${kind}.png`;
}

/**
 * Writes the three conditioning images of a rendered frame (9-channel float buffer, see
 * ConditioningRenderer) as PNGs into outDir; returns their paths in IMAGE_KINDS order.
 * Backs `portrait conditioning <project> --frame N --out dir/`.
 */
export async function writeConditioningPngs(frameImage: Float32Array, width: number, height: number, frame: number, outDir: string): Promise<string[]> {
  await makeDir(outDir);
  const rgb = new Uint8Array(width * height * 3);
  const paths: string[] = [];
  for (const kind of IMAGE_KINDS) {
    frameImageToRgb8(frameImage, width, height, kind, rgb);
    const path = join(outDir, conditioningFileName(frame, kind));
    await writeFileAtomic(path, encodePng(rgb, width, height, 3));
    paths.push(path);
  }
  return paths;
}
