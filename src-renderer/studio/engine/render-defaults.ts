/** Pure helpers of the render dialog: default output path and extension per codec. */
import { ALL_VIDEO_EXTENSIONS, codecSpec, defaultExtension, type CodecId } from '../../../src-shared/output/codecs.js';
export type RenderCodec = CodecId;

/** Joins with the separator the folder already uses (Windows paths stay Windows paths). */
export function joinPath(dir: string, ...parts: string[]): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const trimmed = dir.endsWith(sep) ? dir.slice(0, -1) : dir;
  return [trimmed, ...parts].join(sep);
}

/** A file-name-safe version of the project name. */
export function safeName(name: string): string {
  const s = name.trim().replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '');
  return s || 'render';
}

export function extensionFor(codec: RenderCodec): string {
  return defaultExtension(codec);
}

/** <project>/renders/<name> with the codec's extension (a folder for a PNG sequence). */
export function defaultRenderPath(dir: string, projectName: string, codec: RenderCodec = 'h264'): string {
  return joinPath(dir, 'renders', safeName(projectName) + extensionFor(codec));
}

/** Keeps the user's path but swaps a known extension when the codec changes. */
export function withCodecExtension(path: string, codec: RenderCodec): string {
  const ext = /\.[^./\\]+$/.exec(path)?.[0]?.toLowerCase() ?? '';
  if (!ALL_VIDEO_EXTENSIONS.includes(ext)) return path + extensionFor(codec);
  // A name the new codec also accepts stays as typed (an .mkv for H.264 or FFV1).
  if (codecSpec(codec).extensions.includes(ext)) return path;
  return path.slice(0, -ext.length) + extensionFor(codec);
}
