import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { Studio } from '../services/index.js';
import { recordedVideo } from '../services/render/render-history.js';

const TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.mkv': 'video/x-matroska' };

/** The byte range a Range header asks for, clamped to the file; null: the whole file; 'bad': unsatisfiable. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (m[1] === '') {
    // "bytes=-N": the last N bytes.
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
  }
  if (start >= size || start > end) return 'bad';
  return { start, end };
}

/** What to answer a request for a render: a text (refusals) or a byte range of the file. */
export interface RenderFileAnswer {
  status: number;
  headers: Record<string, string>;
  text?: string;
  file?: { path: string; start: number; end: number };
}

const refuse = (status: number, text: string): RenderFileAnswer => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, text });

/**
 * /render-file?dir=&file=: plays a render in the studio (issue 16 item 16), for the browser-mode
 * host and the Electron window alike. Only a video the studio rendered for a project this
 * session has open (its renders.json lists it) is served, with Range support so the player can
 * seek; the caller has checked the session (token or trusted window).
 */
export async function answerRenderFile(studio: Studio, dir: string | null, file: string | null, rangeHeader: string | undefined): Promise<RenderFileAnswer> {
  if (!dir || !file) return refuse(400, 'dir and file are required');
  if (!studio.store.isOpen(dir)) return refuse(403, 'That project is not open in this session.');
  const entry = await recordedVideo(dir, file);
  if (!entry) return refuse(404, 'Not a render of this project.');
  const st = await fs.stat(entry.file).catch(() => null);
  if (!st?.isFile()) return refuse(404, 'The render file is gone.');
  const range = byteRange(rangeHeader, st.size);
  const headers: Record<string, string> = {
    'content-type': TYPES[extname(entry.file).toLowerCase()] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (range === 'bad') return { status: 416, headers: { ...headers, 'content-range': `bytes */${st.size}` }, text: '' };
  const { start, end } = range ?? { start: 0, end: st.size - 1 };
  return {
    status: range ? 206 : 200,
    headers: { ...headers, 'content-length': String(Math.max(0, end - start + 1)), ...(range ? { 'content-range': `bytes ${start}-${end}/${st.size}` } : {}) },
    ...(st.size > 0 ? { file: { path: entry.file, start, end } } : { text: '' }),
  };
}

/** The browser-mode host's side of answerRenderFile (the token is checked before). */
export async function serveRenderFile(studio: Studio, req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
  const a = await answerRenderFile(studio, url.searchParams.get('dir'), url.searchParams.get('file'), req.headers.range);
  res.writeHead(a.status, a.headers);
  if (!a.file || req.method === 'HEAD') return void res.end(req.method === 'HEAD' ? undefined : a.text);
  const stream = createReadStream(a.file.path, { start: a.file.start, end: a.file.end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
