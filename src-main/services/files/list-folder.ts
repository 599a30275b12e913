import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, sep } from 'node:path';
import type { FolderListing } from '../../../src-shared/ipc/contract.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

/** Extensions the picker offers as videos (ffmpeg reads many more; these are what people shoot and export). */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.mpg', '.mpeg', '.mts', '.m2ts', '.wmv', '.flv', '.ogv', '.mxf', '.y4m']);

/** A listing returns at most this many entries (folders first): a picker, not a file manager. */
export const MAX_ENTRIES = 2000;

export interface BrowseRoot {
  label: string;
  path: string;
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

async function realRoots(roots: readonly BrowseRoot[]): Promise<BrowseRoot[]> {
  const out: BrowseRoot[] = [];
  for (const r of roots) {
    const real = await fs.realpath(r.path).catch(() => null);
    if (real && !out.some((o) => o.path === real)) out.push({ label: r.label, path: real });
  }
  return out;
}

/**
 * One folder for the browser-mode file picker (issue 16 item 14). Only folders inside a root
 * (the home folder or the host's project roots, and the open projects) are listed, judged after
 * symbolic links are resolved, so a link cannot lead outside. Hidden entries are left out.
 */
export async function listFolder(req: { path?: string | undefined; show: 'video' | 'folders' | 'all' }, rootsIn: readonly BrowseRoot[]): Promise<FolderListing> {
  const roots = await realRoots(rootsIn);
  if (roots.length === 0) throw new PortraitError('FILE_NOT_FOUND', 'There is no folder to browse: the home folder is missing and no project is open.');
  const asked = req.path ?? roots[0]!.path;
  let real: string;
  try {
    real = await fs.realpath(asked);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PortraitError('FILE_NOT_FOUND', `Folder not found: ${asked}.`, { path: asked });
    throw e;
  }
  const root = roots.filter((r) => within(real, r.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!root) {
    throw new PortraitError('PERMISSION_DENIED', `${asked} is outside the folders the studio may browse (${roots.map((r) => r.path).join(', ')}). Type the path instead, or open the project first.`, { path: asked });
  }
  const st = await fs.stat(real);
  if (!st.isDirectory()) throw new PortraitError('BAD_REQUEST', `${asked} is a file, not a folder.`, { path: asked });
  const dirents = await fs.readdir(real, { withFileTypes: true });
  const entries: FolderListing['entries'] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const full = join(real, d.name);
    // Links are followed for their kind; where they lead is checked when they are opened.
    const s = d.isSymbolicLink() ? await fs.stat(full).catch(() => null) : await fs.lstat(full).catch(() => null);
    if (!s) continue;
    const kind = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
    if (!kind) continue;
    if (kind === 'file' && (req.show === 'folders' || (req.show === 'video' && !VIDEO_EXTENSIONS.has(extname(d.name).toLowerCase())))) continue;
    entries.push({ name: d.name, path: full, kind, size: kind === 'file' ? s.size : null, mtimeMs: s.mtimeMs });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }) : a.kind === 'dir' ? -1 : 1));
  const parent = dirname(real);
  return {
    path: real,
    parent: real !== root.path && parent !== real && within(parent, root.path) ? parent : null,
    roots: roots.map((r) => ({ label: r.label, path: r.path })),
    entries: entries.slice(0, MAX_ENTRIES),
    truncated: entries.length > MAX_ENTRIES,
  };
}

/** Labels for the roots: the home folder, the host's project roots, each open project by its folder name. */
export function browseRoots(base: readonly string[], home: string | null, openProjects: readonly string[]): BrowseRoot[] {
  const out: BrowseRoot[] = base.map((p) => ({ label: home !== null && p === home ? 'Home' : basename(p) || p, path: p }));
  for (const dir of openProjects) out.push({ label: `Project: ${basename(dir) || dir}`, path: dir });
  return out;
}
