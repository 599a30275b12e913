/**
 * The pure parts of a farm render: how a range is cut into chunks, where their segments live
 * and how a worker that sees the project under another path rewrites the paths it is given.
 */
import { basename, dirname, join, sep } from 'node:path';
import { PortraitError } from '../../../../src-shared/ipc/errors.js';
import { codecSpec, defaultExtension, type CodecId } from '../../../../src-shared/output/codecs.js';

export interface Chunk {
  index: number;
  /** First target frame. */
  start: number;
  count: number;
  /** Position of the chunk's first frame in the render (0-based): the final frame numbering. */
  offset: number;
}

export const DEFAULT_CHUNK_FRAMES = 100;

/**
 * x264 (B-pyramid) holds decode timestamps 2 frames behind presentation in any encode of 3 frames
 * or more, and not at all in one of 1 or 2. Segments that disagree leave a gap in the joined
 * stream's decode timestamps, which lengthens the file (measured: 20 frames joined from 6+6+6+2
 * last 0.92 s instead of 0.83 s). So a tail shorter than this joins the chunk before it.
 */
export const MIN_TAIL_FRAMES = 3;

/** Cuts start..end (inclusive) into chunks of `size` frames (the last one shorter, or longer: see MIN_TAIL_FRAMES). */
export function splitRange(start: number, end: number, size: number): Chunk[] {
  if (!Number.isInteger(size) || size < 1) throw new PortraitError('BAD_REQUEST', `The chunk size must be a whole number of frames, at least 1 (got ${size}).`);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) throw new PortraitError('BAD_REQUEST', `Empty range ${start}..${end}.`);
  const chunks: Chunk[] = [];
  for (let s = start, i = 0; s <= end; s += size, i++) chunks.push({ index: i, start: s, count: Math.min(size, end - s + 1), offset: s - start });
  const tail = chunks[chunks.length - 1]!;
  // Chunks all shorter than the minimum agree with each other (no delay in any): only a short tail after full chunks is merged.
  if (chunks.length > 1 && size >= MIN_TAIL_FRAMES && tail.count < MIN_TAIL_FRAMES) {
    chunks.pop();
    chunks[chunks.length - 1]!.count += tail.count;
  }
  return chunks;
}

/** The hidden folder beside the output that holds a farm render's segments until they are joined. */
export function farmFolder(out: string, renderId: string): string {
  return join(dirname(out), `.${basename(out)}.farm-${renderId}`);
}

/** The render id in the name of a farm folder (`.<out name>.farm-<renderId>`), or null for any other name. */
export function farmFolderRenderId(name: string): string | null {
  return /^\..+\.farm-([0-9a-f]+)$/.exec(name)?.[1] ?? null;
}

/** A segment's name inside the farm folder: a video file, or a folder of frames for an image sequence. */
export function segmentName(index: number, codec: CodecId, out: string): string {
  const base = `seg-${String(index).padStart(6, '0')}`;
  if (codecSpec(codec).kind === 'frames') return base;
  const ext = /\.[^./\\]+$/.exec(out)?.[0]?.toLowerCase() ?? defaultExtension(codec);
  return `${base}${ext}`;
}

/** The name a worker writes a segment under before renaming it into place (never joined half-written). */
export function segmentTempName(name: string, worker: string): string {
  const m = /^(seg-\d+)(\.[a-z0-9]+)?$/.exec(name);
  const tag = worker.replace(/[^A-Za-z0-9_-]/g, '_');
  return m ? `${m[1]}.tmp-${tag}${m[2] ?? ''}` : `${name}.tmp-${tag}`;
}

/** ffmpeg's concat demuxer list: one quoted path per segment, in render order. */
export function concatList(paths: readonly string[]): string {
  return paths.map((p) => `file '${p.replace(/'/g, `'\\''`)}'\n`).join('');
}

export interface PathMap {
  from: string;
  to: string;
}

/** `--map-path FROM=TO`: both sides absolute; FROM is how the submitting machine names the folder. */
export function parseMapPath(arg: string): PathMap {
  const i = arg.indexOf('=');
  const from = i < 0 ? '' : arg.slice(0, i);
  const to = i < 0 ? '' : arg.slice(i + 1);
  const abs = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
  if (!from || !to || !abs(from) || !abs(to)) throw new PortraitError('BAD_REQUEST', `--map-path takes FROM=TO with two absolute folders (got "${arg}"), e.g. --map-path /mnt/projects=/Volumes/projects.`);
  return { from: trimSep(from), to: trimSep(to) };
}

/**
 * Rewrites a path the submitter wrote into the worker's view: the longest FROM that is a whole
 * leading folder of `p` is replaced by its TO, and the rest is joined with this machine's
 * separator. Paths under no FROM are returned unchanged.
 */
export function mapPath(p: string, maps: readonly PathMap[], localSep: string = sep): string {
  let best: PathMap | null = null;
  for (const m of maps) {
    const under = p === m.from || p.startsWith(`${m.from}/`) || p.startsWith(`${m.from}\\`);
    if (under && (!best || m.from.length > best.from.length)) best = m;
  }
  if (!best) return p;
  const rest = p.slice(best.from.length).split(/[\\/]/).filter(Boolean);
  return rest.length ? [best.to, ...rest].join(localSep) : best.to;
}

function trimSep(p: string): string {
  return p.length > 1 ? p.replace(/[\\/]+$/, '') || p : p;
}
