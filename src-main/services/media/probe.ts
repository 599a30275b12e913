import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { MediaInfo } from '../../../src-shared/media/schema.js';
import { parseFfmpegReport } from './parse-probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

/**
 * ffprobe-equivalent through the resolved ffmpeg. It also decodes the first frame, so a
 * file whose header parses but whose video cannot be decoded is reported as corrupt now
 * rather than halfway through tracking.
 */
/** Smallest side worth tracking a face in, and the largest frame the studio will decode. */
const MIN_SIDE = 32;
/** ffmpeg's demuxers for single pictures (image2 also reads numbered sequences, which the studio does not take as video). */
const STILL_IMAGE_DEMUXERS = /^(image2|\w+_pipe)$/;
const MAX_PIXELS = 8192 * 8192;

export async function probeMedia(pathIn: string, signal?: AbortSignal): Promise<MediaInfo> {
  const path = resolve(pathIn);
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    // Missing is FILE_NOT_FOUND; a loop, a name too long or a file used as a folder keep their own codes.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new PortraitError('FILE_NOT_FOUND', `File not found: ${path}`);
    throw e;
  }
  if (st.isDirectory()) throw new PortraitError('NOT_A_VIDEO', `${path} is a folder, not a video file.`);
  // A pipe or a device would block ffmpeg or never end.
  if (!st.isFile()) throw new PortraitError('NOT_A_VIDEO', `${path} is not a regular file (a pipe, device or socket), not a video file.`);
  if (st.size === 0) throw new PortraitError('NOT_A_VIDEO', `${path} is empty (0 bytes).`);
  const run = await runFfmpeg(['-hide_banner', '-nostdin', '-i', path, '-map', '0:v:0', '-frames:v', '1', '-f', 'null', '-'], {
    signal,
    timeoutMs: 30_000,
  });
  const info = parseFfmpegReport(run.stderr);
  const invalidSize = /Picture size (\d+)x(\d+) is invalid/.exec(run.stderr);
  if (!info && invalidSize) {
    throw new PortraitError('UNSUPPORTED', `${path} declares frames of ${invalidSize[1]}x${invalidSize[2]} pixels, more than ffmpeg can decode.`);
  }
  if (info && (info.width < MIN_SIDE || info.height < MIN_SIDE)) {
    throw new PortraitError('UNSUPPORTED', `${path} is ${info.width}x${info.height} pixels: too small to find and track a face (at least ${MIN_SIDE}x${MIN_SIDE}).`);
  }
  if (info && info.width * info.height > MAX_PIXELS) {
    throw new PortraitError('UNSUPPORTED', `${path} is ${info.width}x${info.height} pixels: larger than the studio handles (8K, ${MAX_PIXELS.toLocaleString('en')} pixels, at most).`);
  }
  if (!info) {
    if (/Invalid data found when processing input|could not find codec parameters|moov atom not found|End of file/i.test(run.stderr)) {
      const truncated = /moov atom not found/i.test(run.stderr) && (await looksLikeIsoMedia(path));
      throw new PortraitError(
        truncated ? 'CORRUPT_MEDIA' : 'NOT_A_VIDEO',
        truncated
          ? `${path} looks like an incomplete or damaged video (its index is missing; was the copy interrupted?).`
          : `${path} is not a video file ffmpeg can read.`,
      );
    }
    throw new PortraitError('NOT_A_VIDEO', `${path} has no video stream.`);
  }
  // ffmpeg opens a photo as a one-frame "video" (image2, png_pipe, jpeg_pipe...): say what it is.
  if (STILL_IMAGE_DEMUXERS.test(info.container)) {
    throw new PortraitError('NOT_A_VIDEO', `${path} is a still image (${info.videoCodec}), not a video: the studio re-animates a filmed actor and needs a video of them (a few seconds at least).`);
  }
  if (run.code !== 0 || /Error while decoding|corrupt|error while decoding/i.test(run.stderr) && !/frame=\s*1/.test(run.stderr)) {
    throw new PortraitError('CORRUPT_MEDIA', `${path} has a video stream that cannot be decoded: ${lastLine(run.stderr)}`);
  }
  if (info.frameCount === 0) {
    throw new PortraitError('CORRUPT_MEDIA', `${path} has a video stream with no frames.`);
  }
  // A file cut short (interrupted copy or download) keeps a valid header: decode near its end.
  if (info.durationSec > 0.5) {
    const at = Math.max(0, info.durationSec - 0.5).toFixed(3);
    const tail = await runFfmpeg(['-hide_banner', '-nostdin', '-ss', at, '-i', path, '-map', '0:v:0', '-frames:v', '1', '-f', 'null', '-'], {
      signal,
      timeoutMs: 30_000,
    });
    if (!/frame=\s*[1-9]/.test(tail.stderr)) {
      throw new PortraitError(
        'CORRUPT_MEDIA',
        `${path} is incomplete: its header promises ${info.durationSec.toFixed(2)} s but the video data ends early (was the copy interrupted?).`,
      );
    }
  }
  // The container duration can include a longer audio track: count the video packets for
  // the exact frame count of a constant-rate stream (a stream copy, no decoding: fast).
  if (!info.variableFrameRate) {
    const count = await runFfmpeg(['-hide_banner', '-nostdin', '-i', path, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], { signal, timeoutMs: 120_000 });
    const frames = [...count.stderr.matchAll(/frame=\s*(\d+)/g)];
    const n = frames.length ? Number(frames[frames.length - 1]![1]) : 0;
    if (n > 0) {
      info.frameCount = n;
      info.durationSec = Math.min(info.durationSec, n / info.fps);
    }
  }
  return { path, sizeBytes: st.size, ...info };
}

/** An ISO-BMFF file (mp4/mov) carries `ftyp` at offset 4: a missing index then means truncation. */
async function looksLikeIsoMedia(path: string): Promise<boolean> {
  const h = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(12);
    await h.read(buf, 0, 12, 0);
    return buf.toString('latin1', 4, 8) === 'ftyp';
  } finally {
    await h.close();
  }
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n').filter((l) => l.trim());
  return (lines[lines.length - 1] ?? '').trim().slice(0, 300);
}
