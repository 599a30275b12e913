import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
}

/** One process from /proc/<pid>/stat, or null when it is gone (Linux only). */
export function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(ppid), comm, state: state ?? '?' };
  } catch {
    return null;
  }
}

/** Every descendant process of `root` (children, their children, ...). */
export function descendants(root: number): Proc[] {
  if (!existsSync('/proc')) return [];
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== null);
  const out: Proc[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop()!;
    for (const p of all) if (p.ppid === parent) {
      out.push(p);
      frontier.push(p.pid);
    }
  }
  return out;
}
