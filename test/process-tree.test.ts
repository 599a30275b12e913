import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendants, readProc } from '../e2e/process-tree.js';

// The e2e teardown's leak check (issue 16 item 18) rests on this reading of /proc.
describe.runIf(process.platform === 'linux')('process tree', () => {
  it('finds a child and its own child, and sees them gone once they exit', async () => {
    const child = spawn('sh', ['-c', 'sleep 60 & wait'], { stdio: 'ignore' });
    await once(child, 'spawn');
    let tree = descendants(process.pid);
    for (let i = 0; i < 500 && !tree.some((p) => p.comm === 'sleep'); i++) {
      await new Promise((r) => setTimeout(r, 20)); // the shell starts sleep right after its own start
      tree = descendants(process.pid);
    }
    const sh = tree.find((p) => p.pid === child.pid);
    const sleep = tree.find((p) => p.comm === 'sleep' && p.ppid === child.pid);
    expect(sh?.comm).toBe('sh');
    expect(sleep).toBeDefined();
    process.kill(sleep!.pid, 'SIGKILL');
    await once(child, 'exit');
    expect(readProc(child.pid!)).toBeNull();
    expect(descendants(process.pid).some((p) => p.pid === sleep!.pid)).toBe(false);
  });
});
