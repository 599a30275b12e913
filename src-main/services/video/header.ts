import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { resolveFfmpeg } from '../media/ffmpeg.js';
import { parseRotation } from '../media/rotation.js';

/**
 * The few stream facts the decoder needs (rate, start time, sizes), read from the
 * `ffmpeg -i` banner. Not a media probe: the studio's probe lives in services/media; this
 * exists so decoding works from a bare path and so both share one error classification.
 */
export interface StreamHeader {
  /** Average frame rate as ffmpeg prints it (rounded to 2 decimals for NTSC rates). */
  fps: number;
  /** The same rate as an ffmpeg rational ("24000/1001") so long clips do not drift. */
  fpsExpr: string;
  startSec: number;
  durationSec: number;
  codedWidth: number;
  codedHeight: number;
  /** Clockwise display rotation from the rotate tag / display matrix (0, 90, 180, 270). */
  rotation: 0 | 90 | 180 | 270;
}

// ffmpeg prints NTSC rates rounded; map them back to the exact rationals.
const NTSC: Record<string, string> = {
  '23.98': '24000/1001',
  '29.97': '30000/1001',
  '47.95': '48000/1001',
  '59.94': '60000/1001',
  '119.88': '120000/1001',
};

export function fpsExpression(fps: number): string {
  const key = fps.toFixed(2);
  return NTSC[key] ?? String(fps);
}

function timecode(s: string): number {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(s);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

/** Parses the banner; throws NOT_A_VIDEO when ffmpeg found no video stream. */
export function parseHeader(banner: string, path: string): StreamHeader {
  const video = /Stream #\d+:\d+.*?: Video: .*?, (\d+)x(\d+)[ ,[].*/.exec(banner);
  if (!video) {
    throw new PortraitError('NOT_A_VIDEO', `Not a video (no video stream found): ${path}`);
  }
  const line = video[0];
  const fpsM = /, ([\d.]+) fps/.exec(line) ?? /, ([\d.]+) tbr/.exec(line);
  const fps = fpsM ? Number(fpsM[1]) : NaN;
  if (!Number.isFinite(fps) || fps <= 0) {
    throw new PortraitError('CORRUPT_MEDIA', `Cannot read the frame rate of ${path}`);
  }
  // Rotation (tag or display matrix) is printed in the stream's own block, after its Stream line.
  const after = banner.slice(banner.indexOf(line) + line.length);
  const nextStream = after.search(/\n\s*Stream #/);
  const block = nextStream >= 0 ? after.slice(0, nextStream) : after;
  const rotation = parseRotation(block);
  const dur = /Duration: (\d+:\d+:\d+(?:\.\d+)?)/.exec(banner);
  const start = /start: (-?[\d.]+)/.exec(banner);
  return {
    fps,
    fpsExpr: fpsExpression(fps),
    startSec: start ? Number(start[1]) : 0,
    durationSec: dur && dur[1] ? timecode(dur[1]) : 0,
    codedWidth: Number(video[1]),
    codedHeight: Number(video[2]),
    rotation,
  };
}

/** Existence first (a clear FILE_NOT_FOUND beats ffmpeg's wording), then the banner. */
export async function assertReadableFile(path: string): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new PortraitError('FILE_NOT_FOUND', `The file does not exist: ${path}`);
  }
  if (!st.isFile()) throw new PortraitError('NOT_A_VIDEO', `Not a file: ${path}`);
  if (st.size === 0) throw new PortraitError('NOT_A_VIDEO', `The file is empty: ${path}`);
}

export async function readStreamHeader(path: string, signal?: AbortSignal): Promise<StreamHeader> {
  await assertReadableFile(path);
  const ff = resolveFfmpeg().path;
  const banner = await new Promise<string>((resolve, reject) => {
    const proc = spawn(ff, ['-hide_banner', '-nostdin', '-i', path], { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let err = '';
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d: string) => (err += d));
    proc.on('error', (e) =>
      reject(signal?.aborted ? new PortraitError('CANCELLED', 'Cancelled') : e),
    );
    proc.on('close', () => resolve(err));
  });
  if (/Invalid data found|moov atom not found|could not find codec parameters/i.test(banner) && !/Stream #/.test(banner)) {
    throw new PortraitError('NOT_A_VIDEO', `Not a video file ffmpeg can read: ${path}`);
  }
  return parseHeader(banner, path);
}
