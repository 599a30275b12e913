import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { resolveFfmpeg } from '../media/ffmpeg.js';
import { readStreamHeader, type StreamHeader } from './header.js';
import { PpmSplitter, type RawFrame } from './ppm.js';

export interface DecodeOptions {
  /** First frame to return, counted at the normalised rate (0-based). */
  start?: number;
  /** How many frames to return; default: up to the end. */
  count?: number;
  /** Normalise to this constant rate; default: the stream's average rate (MediaInfo.fps). */
  fps?: number;
  /** Downscale to fit inside this box, keeping the aspect ratio; never upscales. */
  maxWidth?: number;
  maxHeight?: number;
  /** Frames decoded ahead of the consumer (default 2); ffmpeg pauses beyond that. */
  readAhead?: number;
  signal?: AbortSignal;
}

export interface VideoFrame extends RawFrame {
  /** Frame index at the normalised rate; equal to start + i. */
  index: number;
  /** Presentation time in seconds from the start of the video. */
  timeSec: number;
}

/** Headers cached by path + size + mtime: preview scrubbing calls readFrame repeatedly. */
const headerCache = new Map<string, StreamHeader>();
const HEADER_CACHE_MAX = 32;

async function headerFor(path: string, signal?: AbortSignal): Promise<StreamHeader> {
  let key = path;
  try {
    const st = await stat(path);
    key = `${path}\u0000${st.size}\u0000${st.mtimeMs}`;
  } catch {
    /* readStreamHeader reports the missing file */
  }
  const hit = headerCache.get(key);
  if (hit) return hit;
  const h = await readStreamHeader(path, signal);
  if (headerCache.size >= HEADER_CACHE_MAX) headerCache.delete(headerCache.keys().next().value!);
  headerCache.set(key, h);
  return h;
}

function num(x: number): string {
  // Filter expressions want plain decimals, never exponent notation.
  return x.toFixed(9);
}

/**
 * Builds the ffmpeg arguments. Frame-accurate ranges: the fps filter lays frames on the
 * absolute grid startSec + k/fps (timestamps kept with -copyts), so slot k holds the same
 * source frame whether decoding began at the file start or at a keyframe after a seek;
 * `select` then drops the slots before the range. Input seeking lands on a keyframe at or
 * before one frame ahead of the range, so nothing the grid needs is skipped.
 */
export function buildDecodeArgs(path: string, h: StreamHeader, opts: DecodeOptions): string[] {
  const start = opts.start ?? 0;
  const fps = opts.fps ?? h.fps;
  const fpsExpr = opts.fps ? String(opts.fps) : h.fpsExpr;
  const args = ['-hide_banner', '-nostdin', '-v', 'error', '-xerror'];
  if (start > 0) args.push('-ss', num(Math.max(0, (start - 1) / fps)), '-noaccurate_seek');
  args.push('-copyts', '-i', path, '-map', '0:v:0', '-an', '-sn', '-dn');
  const filters = [`fps=fps=${fpsExpr}:start_time=${num(h.startSec)}`];
  if (start > 0) filters.push(`select=gte(t\\,${num(h.startSec + (start - 0.5) / fps)})`);
  if (opts.maxWidth || opts.maxHeight) {
    const w = opts.maxWidth ? `min(iw\\,${opts.maxWidth})` : 'iw';
    const hh = opts.maxHeight ? `min(ih\\,${opts.maxHeight})` : 'ih';
    filters.push(`scale=w=${w}:h=${hh}:force_original_aspect_ratio=decrease:flags=area`);
  }
  args.push('-vf', filters.join(','), '-vsync', 'passthrough');
  if (opts.count !== undefined) args.push('-frames:v', String(opts.count));
  args.push('-pix_fmt', 'rgb24', '-f', 'image2pipe', '-vcodec', 'ppm', 'pipe:1');
  return args;
}

function checkRange(opts: DecodeOptions): void {
  const { start, count } = opts;
  if (start !== undefined && (!Number.isInteger(start) || start < 0)) {
    throw new PortraitError('BAD_REQUEST', `start must be a non-negative integer, got ${start}`);
  }
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
    throw new PortraitError('BAD_REQUEST', `count must be a non-negative integer, got ${count}`);
  }
}

/**
 * Streams RGB24 frames from ffmpeg, oldest first. Only a pipe buffer's worth of frames is
 * in flight: the pipe is read only as fast as the consumer pulls. Breaking out of the loop
 * or aborting kills ffmpeg. A video damaged part way yields the frames before the damage,
 * then throws CORRUPT_MEDIA.
 */
export async function* decodeFrames(path: string, opts: DecodeOptions = {}): AsyncGenerator<VideoFrame> {
  checkRange(opts);
  const { signal } = opts;
  if (signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
  const header = await headerFor(path, signal);
  if (opts.count === 0) return;
  const fps = opts.fps ?? header.fps;
  const start = opts.start ?? 0;

  const proc = spawn(resolveFfmpeg().path, buildDecodeArgs(path, header, opts), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => {
    proc.on('close', (code) => resolve(code));
    proc.on('error', () => resolve(-1));
  });
  // 'exit' (reaped), unlike 'close', does not wait for a paused stdout to drain.
  const reaped = new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.once('error', () => resolve());
  });
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  signal?.addEventListener('abort', kill, { once: true });

  // Read-ahead: ffmpeg keeps decoding while the consumer works on the previous frames,
  // but stdout is paused once `readAhead` frames wait, so memory stays bounded.
  const readAhead = Math.max(1, opts.readAhead ?? 2);
  const splitter = new PpmSplitter();
  const ready: RawFrame[] = [];
  let ended = false;
  let streamError: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const collect = (f: RawFrame) => ready.push(f);
  proc.stdout.on('data', (chunk: Buffer) => {
    try {
      splitter.push(chunk, collect);
    } catch (e) {
      streamError = e as Error;
      kill();
    }
    if (ready.length >= readAhead) proc.stdout.pause();
    if (ready.length > 0) notify();
  });
  proc.stdout.on('end', () => {
    ended = true;
    notify();
  });
  proc.stdout.on('error', (e) => {
    streamError = e;
    ended = true;
    notify();
  });
  signal?.addEventListener('abort', notify, { once: true });
  let n = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
      if (ready.length > 0) {
        const f = ready.shift()!;
        if (ready.length < readAhead && proc.stdout.isPaused()) proc.stdout.resume();
        const index = start + n++;
        yield { ...f, index, timeSec: index / fps };
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (streamError) throw streamError;
    const code = await exited;
    if (signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
    if (code !== 0 || splitter.partial) {
      const firstError = stderr.split('\n').find((l) => l.trim().length > 0) ?? `ffmpeg exited with ${code}`;
      throw new PortraitError(
        'CORRUPT_MEDIA',
        `The video is damaged after frame ${start + n - 1} (${n} frames read): ${firstError.trim()}`,
        { framesRead: n, lastGoodFrame: start + n - 1, ffmpeg: stderr.slice(0, 2000) },
      );
    }
  } catch (e) {
    if (signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
    throw e;
  } finally {
    signal?.removeEventListener('abort', kill);
    signal?.removeEventListener('abort', notify);
    kill();
    // Reap ffmpeg before returning: a worker thread that ends right after a cancel would
    // otherwise leave it a zombie of the host process (found by the e2e teardown check).
    await reaped;
  }
}

/** Exactly frame `index` (same pixels as the index-th frame of a sequential decode). */
export async function readFrame(
  path: string,
  index: number,
  opts: Omit<DecodeOptions, 'start' | 'count'> = {},
): Promise<VideoFrame> {
  for await (const f of decodeFrames(path, { ...opts, start: index, count: 1 })) return f;
  throw new PortraitError('BAD_REQUEST', `Frame ${index} is past the end of ${path}`);
}

/** Stream facts the decoder used, for callers that need the rate before decoding. */
export function videoHeader(path: string, signal?: AbortSignal): Promise<StreamHeader> {
  return headerFor(path, signal);
}
