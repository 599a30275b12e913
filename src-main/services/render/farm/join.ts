/**
 * Joins a farm render's segments into one output without re-encoding: video segments through
 * ffmpeg's concat demuxer (stream copy; every segment starts with a keyframe of a closed GOP),
 * with the render's sound muxed once over the whole; PNG segments by moving their frames into
 * one folder, numbered as a one-machine render numbers them.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PortraitError } from '../../../../src-shared/ipc/errors.js';
import { codecSpec, type CodecId } from '../../../../src-shared/output/codecs.js';
import { runFfmpeg } from '../../media/run-ffmpeg.js';
import { audioArgs, type EncoderOptions } from '../encoder.js';
import { concatList } from './chunks.js';

export interface Segment {
  /** File or folder inside the farm folder. */
  name: string;
  frames: number;
  /** Position of its first frame in the render. */
  offset: number;
}

/** The ffmpeg arguments of a video join (exported for its test). */
export function joinArgs(codec: CodecId, list: string, audio: EncoderOptions['audio'], out: string): string[] {
  const spec = codecSpec(codec);
  const sound = audioArgs(codec, audio, 1);
  return ['-hide_banner', '-nostdin', '-y', '-f', 'concat', '-safe', '0', '-i', list, ...sound.input, '-map', '0:v:0', ...sound.map, '-c:v', 'copy', ...sound.codec, ...spec.container, out];
}

export async function joinSegments(o: { codec: CodecId; segDir: string; segments: readonly Segment[]; out: string; audio: EncoderOptions['audio']; signal: AbortSignal }): Promise<void> {
  const spec = codecSpec(o.codec);
  if (spec.farmJoin === null) throw new PortraitError('UNSUPPORTED', `${spec.label} segments cannot be joined without re-encoding; render it on one machine.`);
  if (spec.farmJoin === 'frames') return joinFrames(o.segDir, o.segments, o.out);
  const list = join(o.segDir, 'segments.txt');
  await fs.writeFile(list, concatList(o.segments.map((s) => join(o.segDir, s.name))));
  const r = await runFfmpeg(joinArgs(o.codec, list, o.audio, o.out), { signal: o.signal }).catch((e: unknown) => {
    if (o.signal.aborted) throw new PortraitError('CANCELLED', 'The render was cancelled while its segments were being joined.');
    throw e;
  });
  if (r.code !== 0) {
    if (/No space left on device|Disk quota exceeded/i.test(r.stderr)) throw new PortraitError('DISK_FULL', 'The disk filled up while joining the segments; the partial file was removed. Free some space and render again.');
    throw new PortraitError('INTERNAL', `Joining the segments failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

async function joinFrames(segDir: string, segments: readonly Segment[], out: string): Promise<void> {
  for (const s of segments) {
    const from = join(segDir, s.name);
    for (let j = 1; j <= s.frames; j++) {
      const src = join(from, `${String(j).padStart(6, '0')}.png`);
      const dst = join(out, `${String(s.offset + j).padStart(6, '0')}.png`);
      await fs.rename(src, dst).catch((e: NodeJS.ErrnoException) => {
        throw new PortraitError('INTERNAL', `Segment ${s.name} is missing frame ${j} of ${s.frames} (${e.code ?? e.message}); nothing was written.`);
      });
    }
  }
}
