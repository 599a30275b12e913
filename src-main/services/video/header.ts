import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { resolveFfmpeg } from '../media/ffmpeg.js';
import { parseBanner } from '../media/parse-probe.js';

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

/**
 * Parses the banner (media/parse-probe.ts, the probe's own parser); throws NOT_A_VIDEO when
 * ffmpeg found no video stream, CORRUPT_MEDIA when it found one without a size or rate.
 */
export function parseHeader(banner: string, path: string): StreamHeader {
  const b = parseBanner(banner);
  if (!b) {
    const anyVideo = banner.split('\n').some((l) => /Stream #\d+:\d+.*: Video: /.test(l) && !/attached pic/.test(l));
    if (!anyVideo) throw new PortraitError('NOT_A_VIDEO', `Not a video (no video stream found): ${path}`);
    throw new PortraitError('CORRUPT_MEDIA', `Cannot read the frame size or rate of ${path}`);
  }
  return {
    fps: b.fps,
    fpsExpr: fpsExpression(b.fps),
    startSec: b.startSec,
    durationSec: b.durationSec,
    codedWidth: b.width,
    codedHeight: b.height,
    rotation: b.rotation,
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
