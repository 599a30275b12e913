import { readFileSync, rmSync } from 'node:fs';
import { STATE_FILE } from './global-setup.js';

export default async function globalTeardown(): Promise<void> {
  const s = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { pid: number; workDir: string; configDir: string };
  try {
    process.kill(s.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  await new Promise((r) => setTimeout(r, 500));
  rmSync(s.workDir, { recursive: true, force: true });
  rmSync(s.configDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
