/**
 * Where a render may write. The studio writes outputs only as new files or folders, or over
 * what it rendered itself when asked to overwrite: a video file (.mp4/.mov/.m4v/.mkv) or a PNG
 * sequence folder that carries its render marker. An existing folder of anything else (a
 * project, someone's photos) is never emptied, and nothing inside a project's own data is
 * replaced.
 */
import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { codecSpec, type CodecId } from '../../../src-shared/output/codecs.js';

/** Written into every PNG sequence folder the studio renders: the proof it may replace it. */
export const PNG_RENDER_MARKER = '.portrait-render.json';
const VIDEO_EXT = /\.(mp4|mov|m4v|mkv)$/i;
const PNG_FRAME = /^\d{6}\.png$/;

export interface OutputTarget {
  out: string;
  /** Something the studio may replace is there (overwrite was asked for). */
  replaces: boolean;
}

export async function checkOutputTarget(req: { dir: string; out: string; codec: CodecId; overwrite: boolean }): Promise<OutputTarget> {
  const out = resolve(req.out);
  const project = resolve(req.dir);
  const rel = relative(project, out);
  if (rel === '') throw new PortraitError('BAD_REQUEST', `The output ${out} is the project folder itself: name a new file or folder.`);
  // Inside the project only a top-level file or the renders/ folder is an output; the rest is project data.
  const inProject = rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  if (inProject && rel.includes(sep) && rel.split(sep)[0] !== 'renders') {
    throw new PortraitError('BAD_REQUEST', `The output ${out} is inside the project's own data (${rel.split(sep)[0]}): render into the project folder, its renders/ folder or elsewhere.`);
  }
  const st = await fs.lstat(out).catch(() => null);
  if (!st) return { out, replaces: false };
  if (!req.overwrite) throw new PortraitError('FILE_EXISTS', `${out} already exists. Choose another name or allow overwriting.`);
  if (codecSpec(req.codec).kind === 'frames') {
    if (!st.isDirectory()) throw new PortraitError('BAD_REQUEST', `${out} exists and is not a folder: a PNG sequence is written as a new folder. Choose another name.`);
    const names = await fs.readdir(out);
    const ours = names.includes(PNG_RENDER_MARKER) && names.every((n) => n === PNG_RENDER_MARKER || PNG_FRAME.test(n));
    if (!ours) {
      throw new PortraitError('BAD_REQUEST', `${out} is a folder Portrait Studio did not render (or one with other files in it); it is never emptied. Choose a new folder name.`);
    }
    return { out, replaces: true };
  }
  if (!st.isFile() || !VIDEO_EXT.test(out)) {
    throw new PortraitError('BAD_REQUEST', `${out} exists and is ${st.isDirectory() ? 'a folder' : 'not a video file'}: overwriting replaces only a video file. Choose another name.`);
  }
  return { out, replaces: true };
}

/** The marker's content: what rendered the folder, for a person who finds it. */
export function pngMarker(frames: number): string {
  return JSON.stringify({ renderedBy: 'Portrait Studio', frames, note: 'This folder was written by a render; overwriting it replaces only its frames.' });
}

export async function writePngMarker(folder: string, frames: number): Promise<void> {
  await fs.writeFile(join(folder, PNG_RENDER_MARKER), pngMarker(frames));
}
