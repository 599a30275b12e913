import type { FolderListing } from '../../src-shared/ipc/contract.js';

/** The listed folder's path from its (deepest) root down, as clickable crumbs named by the root's label. */
export function crumbsOf(l: Pick<FolderListing, 'path' | 'roots'>): Array<{ name: string; path: string }> {
  const sep = l.path.includes('\\') && !l.path.includes('/') ? '\\' : '/';
  const under = (root: string) => l.path === root || l.path.startsWith(root.endsWith(sep) ? root : root + sep);
  const root = l.roots.filter((r) => under(r.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!root) return [{ name: l.path, path: l.path }];
  const out = [{ name: root.label, path: root.path }];
  let cur = root.path;
  for (const part of l.path.slice(root.path.length).split(sep).filter(Boolean)) {
    cur = cur.endsWith(sep) ? cur + part : cur + sep + part;
    out.push({ name: part, path: cur });
  }
  return out;
}
