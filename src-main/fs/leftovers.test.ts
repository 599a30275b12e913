import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLeftovers } from './leftovers.js';

/** The pid of a process that has exited (it ran and ended before this returns). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('leftovers of killed processes', () => {
  it('removes the temporaries and partial renders of dead processes only, and nothing else', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'leftovers-'));
    const dead = deadPid();
    const live = process.pid;
    const names = {
      deadTmp: `.project.json.${dead}.0a1b2c3d.tmp`,
      liveTmp: `.project.json.${live}.0a1b2c3d.tmp`,
      deadPartial: `.cut.partial-${dead}.mp4`,
      livePartial: `.cut.partial-${live}.mp4`,
      deadPngDir: `frames.partial-${dead}`,
      foreignDir: `photos.partial-${dead}`,
      userFile: 'cut.mp4',
      userTmp: 'notes.tmp',
    };
    for (const [k, n] of Object.entries(names)) {
      if (k === 'deadPngDir' || k === 'foreignDir') {
        await fs.mkdir(join(dir, n));
        await fs.writeFile(join(dir, n, k === 'deadPngDir' ? '000001.png' : 'holiday.jpg'), 'x');
      } else await fs.writeFile(join(dir, n), 'x');
    }
    const removed = await removeLeftovers(dir);
    expect(removed.sort()).toEqual([names.deadPartial, names.deadPngDir, names.deadTmp].sort());
    expect((await fs.readdir(dir)).sort()).toEqual([names.liveTmp, names.livePartial, names.foreignDir, names.userFile, names.userTmp].sort());
    await fs.rm(dir, { recursive: true, force: true });
  });
});
