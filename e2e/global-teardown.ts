import { readFileSync, rmSync } from 'node:fs';
import { STATE_FILE } from './global-setup.js';
import { descendants, readProc, type Proc } from './process-tree.js';

export default async function globalTeardown(): Promise<void> {
  const s = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { pid: number; workDir: string; configDir: string };
  // Issue 16 item 18: the host reaps what it starts (ffmpeg, esbuild, workers) and leaves
  // nothing behind when it stops.
  const children = descendants(s.pid);
  const zombies = children.filter((p) => p.state === 'Z');
  try {
    process.kill(s.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const alive = (p: Proc) => {
    const now = readProc(p.pid);
    return now !== null && now.comm === p.comm && now.state !== 'Z';
  };
  // Wait until the host has exited (it releases its project locks on SIGTERM) before deleting
  // its folders, and until what it started has exited too (up to 15 s after the host): one poll,
  // since neither process is a child of this one and so sends it no exit event.
  const gone = () => {
    try {
      process.kill(s.pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  let left = children;
  let hostGoneAt = -1;
  for (let waited = 0; ; waited += 50) {
    if (hostGoneAt < 0 && gone()) hostGoneAt = waited;
    left = left.filter(alive);
    if (hostGoneAt >= 0 && (left.length === 0 || waited - hostGoneAt > 15_000)) break;
    if (hostGoneAt < 0 && waited > 60_000) process.kill(s.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(s.workDir, { recursive: true, force: true });
  rmSync(s.configDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
  const list = (ps: Proc[]) => ps.map((p) => `${p.comm} (pid ${p.pid})`).join(', ');
  if (zombies.length) throw new Error(`the host had unreaped child processes (zombies) at the end of the run: ${list(zombies)}`);
  if (left.length) throw new Error(`the host left child processes running after it stopped: ${list(left)}`);
}
