/** Pure helpers of the render dialog: default output path and extension per codec. */
export type RenderCodec = 'h264' | 'prores' | 'png';

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
  return codec === 'h264' ? '.mp4' : codec === 'prores' ? '.mov' : '';
}

/** <project>/renders/<name>.mp4 (a folder for a PNG sequence, .mov for ProRes). */
export function defaultRenderPath(dir: string, projectName: string, codec: RenderCodec = 'h264'): string {
  return joinPath(dir, 'renders', safeName(projectName) + extensionFor(codec));
}

/** Keeps the user's path but swaps a known extension when the codec changes. */
export function withCodecExtension(path: string, codec: RenderCodec): string {
  const stem = path.replace(/\.(mp4|mov)$/i, '');
  return stem + extensionFor(codec);
}
