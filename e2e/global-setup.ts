import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
// Per checkout (e2e/artifacts is ignored by git): two clones running their e2e suites at the
// same time must not read or remove each other's host.
export const STATE_FILE = join(REPO, 'e2e', 'artifacts', 'host-state.json');

/** Starts the real host (the same `portrait host` users run) with fresh preferences. */
export default async function globalSetup(): Promise<void> {
  const configDir = mkdtempSync(join(tmpdir(), 'portrait-e2e-config-'));
  const workDir = mkdtempSync(join(tmpdir(), 'portrait-e2e-work-'));
  const child = spawn(process.execPath, [join(REPO, 'bin/portrait.mjs'), 'host', '--port', '0', '--json'], {
    cwd: REPO,
    env: { ...process.env, PORTRAIT_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('host did not start in 60 s')), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(buf.slice(0, nl));
      }
    });
    child.on('exit', (code) => reject(new Error(`host exited early (${code})`)));
  });
  const { url, port, token } = JSON.parse(line) as { url: string; port: number; token: string };
  mkdirSync(join(REPO, 'e2e', 'artifacts'), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ url, port, token, pid: child.pid, workDir, configDir }));
  child.unref();
}
