import { readFileSync, rmSync } from 'node:fs';
import { STATE_FILE } from './global-setup.js';

export default async function globalTeardown(): Promise<void> {
  const s = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { pid: number; workDir: string; configDir: string };
  try {
    process.kill(s.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  // Wait until the host has exited (it releases its project locks on SIGTERM) before deleting its folders.
  const gone = () => {
    try {
      process.kill(s.pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  for (let waited = 0; !gone(); waited += 50) {
    if (waited > 60_000) process.kill(s.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  rmSync(s.workDir, { recursive: true, force: true });
  rmSync(s.configDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
