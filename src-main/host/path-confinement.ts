import { realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/**
 * `--projects-root DIR` (repeatable) for a shared or remote host: every path a client names
 * (a project folder, a video, a render output) must lie inside one of the roots, after
 * symbolic links are resolved, or the request is refused before any handler runs.
 */
const PATH_FIELDS = ['dir', 'path', 'out'] as const;

function real(p: string): string {
  // A path that does not exist yet (a new project, a render output): its nearest existing parent decides.
  let cur = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return [realpathSync.native(cur), ...tail.reverse()].join(sep);
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return resolve(p);
      tail.push(cur.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      cur = parent;
    }
  }
}

export function createPathConfinement(roots: readonly string[]): (payload: unknown) => string | null {
  const realRoots = roots.map((r) => real(r));
  const inside = (p: string) => {
    const rp = real(p);
    return realRoots.some((r) => rp === r || rp.startsWith(r.endsWith(sep) ? r : r + sep));
  };
  /** null when every path field is inside a root, else the offending path. */
  return (payload) => {
    if (!payload || typeof payload !== 'object') return null;
    for (const f of PATH_FIELDS) {
      const v = (payload as Record<string, unknown>)[f];
      if (typeof v === 'string' && v.length > 0 && !inside(v)) return v;
    }
    return null;
  };
}
