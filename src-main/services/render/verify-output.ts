/**
 * A finished render is checked before it is renamed into place: ffmpeg can exit 0 after a
 * failed write (a full disk while writing the trailer leaves an mp4 without its index), so the
 * exit code alone is not proof of a file a user can open.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { probeMedia } from '../media/probe.js';
import { codecSpec, type CodecId } from '../../../src-shared/output/codecs.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export async function verifyRender(path: string, codec: CodecId, frames: number): Promise<void> {
  if (codecSpec(codec).kind === 'frames') {
    for (let i = 1; i <= frames; i++) {
      const file = join(path, `${String(i).padStart(6, '0')}.png`);
      const head = Buffer.alloc(8);
      const fh = await fs.open(file, 'r').catch(() => null);
      if (!fh) throw new PortraitError('INTERNAL', `The rendered PNG sequence is incomplete: frame ${i} of ${frames} is missing; nothing was written.`);
      try {
        const { bytesRead } = await fh.read(head, 0, 8, 0);
        const size = (await fh.stat()).size;
        if (bytesRead < 8 || !head.equals(PNG_SIGNATURE) || size < 60) {
          throw new PortraitError('INTERNAL', `The rendered PNG sequence is damaged: frame ${i} of ${frames} is ${size === 0 ? 'empty' : 'not a complete PNG'} (a full disk?); nothing was written.`);
        }
      } finally {
        await fh.close();
      }
    }
    return;
  }
  let info;
  try {
    info = await probeMedia(path);
  } catch (e) {
    throw new PortraitError('INTERNAL', `The rendered file failed its check (${(e as Error).message}); nothing was written. Is the disk full?`);
  }
  if (Math.abs(info.frameCount - frames) > 1) {
    throw new PortraitError('INTERNAL', `The rendered file holds ${info.frameCount} frames instead of ${frames}; nothing was written. Is the disk full?`);
  }
}
