import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_SCHEMA_VERSION } from '../../../src-shared/project/schema.js';
import { ProjectStore, readProjectFile } from './project-store.js';
import { LOCK_FILE } from './lock.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'ps-store-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(root, { recursive: true, force: true });
});

/** The pid of a process that has already exited (a lock or temporary of a crashed studio). */
async function deadProcessPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}

describe('ProjectStore', () => {
  it('creates a project folder with its layout and reopens it', async () => {
    const dir = join(root, 'demo');
    const a = new ProjectStore({ owner: 'test A' });
    const info = await a.create(dir, 'Demo');
    expect(info.project.name).toBe('Demo');
    expect(info.project.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    for (const sub of ['tracks', 'cache', 'checkpoints', 'renders']) expect((await fs.stat(join(dir, sub))).isDirectory()).toBe(true);
    await a.update(dir, (p) => {
      p.settings.profile = 'cpu';
    });
    await a.close(dir);
    const b = new ProjectStore({ owner: 'test B' });
    const again = await b.openProject(dir);
    expect(again.project.settings.profile).toBe('cpu');
    expect(again.project.id).toBe(info.project.id);
    await b.close(dir);
  });

  it('refuses to spread a project over a folder that holds other files', async () => {
    const dir = join(root, 'photos');
    await fs.mkdir(dir);
    await fs.writeFile(join(dir, 'holiday.jpg'), 'x');
    const s = new ProjectStore({ owner: 't' });
    expect(await code(s.create(dir))).toBe('BAD_REQUEST');
    expect(await fs.readdir(dir)).toEqual(['holiday.jpg']);
    // An empty folder is fine.
    const empty = join(root, 'empty');
    await fs.mkdir(empty);
    await s.create(empty);
    await s.close(empty);
  });

  it('refuses to create over an existing project', async () => {
    const dir = join(root, 'p');
    const s = new ProjectStore({ owner: 't' });
    await s.create(dir);
    await s.close(dir);
    expect(await code(s.create(dir))).toBe('PROJECT_EXISTS');
  });

  it('reports a missing project clearly', async () => {
    expect(await code(new ProjectStore({ owner: 't' }).openProject(join(root, 'nothing')))).toBe('PROJECT_NOT_FOUND');
    // A missing folder says so (issue 16 item 17); a folder without project.json says that.
    await expect(new ProjectStore({ owner: 't' }).openProject(join(root, 'nothing'))).rejects.toThrow(/^Folder not found: /);
    await fs.mkdir(join(root, 'empty-folder'), { recursive: true });
    await expect(new ProjectStore({ owner: 't' }).openProject(join(root, 'empty-folder'))).rejects.toThrow(/project\.json is missing/);
  });

  it('gives a clear error for a corrupt project.json and never overwrites it', async () => {
    const dir = join(root, 'bad');
    await fs.mkdir(dir);
    const garbage = '{"schemaVersion": 1, "name": "half-writ';
    await fs.writeFile(join(dir, 'project.json'), garbage);
    const s = new ProjectStore({ owner: 't' });
    expect(await code(s.openProject(dir))).toBe('PROJECT_CORRUPT');
    expect(await code(s.update(dir, () => {}))).toBe('PROJECT_CORRUPT');
    expect(await fs.readFile(join(dir, 'project.json'), 'utf8')).toBe(garbage);
    await expect(fs.access(join(dir, LOCK_FILE))).rejects.toThrow();
  });

  it('refuses a project from a newer version and leaves it untouched', async () => {
    const dir = join(root, 'future');
    await fs.mkdir(dir);
    const text = JSON.stringify({ schemaVersion: PROJECT_SCHEMA_VERSION + 1, name: 'x', whatever: [1, 2] });
    await fs.writeFile(join(dir, 'project.json'), text);
    const s = new ProjectStore({ owner: 't' });
    try {
      await s.openProject(dir);
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('PROJECT_TOO_NEW');
      expect((e as Error).message).toMatch(/newer Portrait Studio/);
    }
    expect(await fs.readFile(join(dir, 'project.json'), 'utf8')).toBe(text);
  });

  it('migrates an older project and keeps a backup of the original on first save', async () => {
    const dir = join(root, 'old');
    await fs.mkdir(dir);
    const v0 = { id: 'old-1', name: 'Old', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', target: null, source: null };
    await fs.writeFile(join(dir, 'project.json'), JSON.stringify(v0));
    const s = new ProjectStore({ owner: 't' });
    const info = await s.openProject(dir);
    expect(info.migratedFrom).toBe(0);
    expect(JSON.parse(await fs.readFile(join(dir, 'project.json'), 'utf8'))).toEqual(v0);
    await s.update(dir, (p) => {
      p.name = 'Renamed';
    });
    expect(JSON.parse(await fs.readFile(join(dir, 'project.v0.json.bak'), 'utf8'))).toEqual(v0);
    expect((await readProjectFile(dir)).project.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
    await s.close(dir);
  });

  it('locks a project against a second process, and takes over a stale lock', async () => {
    const dir = join(root, 'locked');
    const a = new ProjectStore({ owner: 'A' });
    await a.create(dir);
    // A second store in this process stands in for another window.
    const lockText = await fs.readFile(join(dir, LOCK_FILE), 'utf8');
    const other = JSON.parse(lockText) as { pid: number };
    // Pretend the lock belongs to a live other process (our parent).
    await fs.writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...other, pid: process.ppid }));
    const b = new ProjectStore({ owner: 'B' });
    expect(await code(b.openProject(dir))).toBe('PROJECT_LOCKED');
    // A lock from a process that no longer exists is stale.
    const deadPid = await deadProcessPid();
    await fs.writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...other, pid: deadPid }));
    const info = await b.openProject(dir);
    expect(info.project).toBeTruthy();
    expect(JSON.parse(await fs.readFile(join(dir, LOCK_FILE), 'utf8')).owner).toBe('B');
    await b.close(dir);
    await expect(fs.access(join(dir, LOCK_FILE))).rejects.toThrow();
  });

  it('keeps the previous project.json when the disk fills up mid-save', async () => {
    const dir = join(root, 'full');
    const s = new ProjectStore({ owner: 't' });
    await s.create(dir, 'Before');
    const before = await fs.readFile(join(dir, 'project.json'), 'utf8');
    const realOpen = fs.open;
    vi.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof fs.open>) => {
      const h = await realOpen(...args);
      if (String(args[0]).endsWith('.tmp')) {
        h.writeFile = async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        };
      }
      return h;
    });
    expect(await code(s.update(dir, (p) => void (p.name = 'After')))).toBe('ENOSPC');
    vi.restoreAllMocks();
    expect(await fs.readFile(join(dir, 'project.json'), 'utf8')).toBe(before);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(s.get(dir).name).toBe('Before');
    await s.close(dir);
  });
});

describe('saves racing a close', () => {
  it('200 saves interleaved with closes: every save lands, none is refused, no save writes without the lock', async () => {
    const dir = join(root, 'racing');
    const s = new ProjectStore({ owner: 'app' });
    await s.create(dir, 'Racing');
    const ops: Promise<unknown>[] = [];
    // Saves and closes arrive in turns across event-loop turns, as autosaves and a Close click do:
    // some saves find the project open, some closing, some closed (and reopen it), several at once.
    for (let i = 1; i <= 200; i++) {
      ops.push(
        s.update(dir, (p) => {
          p.edits = { ...p.edits, [`k${i}`]: i };
        }),
      );
      if (i % 10 === 0) ops.push(s.close(dir));
      await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.allSettled(ops);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    // The store's idea of open matches the lock on disk.
    const locked = await fs.access(join(dir, LOCK_FILE)).then(() => true, () => false);
    expect(locked).toBe(s.isOpen(dir));
    await s.close(dir);
    const saved = (await readProjectFile(dir)).project.edits as Record<string, number>;
    for (let i = 1; i <= 200; i++) expect(saved[`k${i}`]).toBe(i);
    await expect(fs.access(join(dir, LOCK_FILE))).rejects.toThrow();
  });
});

describe('opening a project from several requests at once', () => {
  it('shares one open (one lock) between concurrent opens and saves of a closed project', async () => {
    const dir = join(root, 'concurrent-open');
    const s = new ProjectStore({ owner: 'app' });
    await s.create(dir, 'Concurrent');
    await s.close(dir);
    const results = await Promise.allSettled([
      s.openProject(dir),
      s.update(dir, (p) => {
        p.edits = { a: 1 };
      }),
      s.openProject(dir),
      s.update(dir, (p) => {
        p.edits = { ...p.edits, b: 2 };
      }),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect((await readProjectFile(dir)).project.edits).toEqual({ a: 1, b: 2 });
    await s.close(dir);
    await expect(fs.access(join(dir, LOCK_FILE))).rejects.toThrow();
  });
});

describe('ProjectLock on a file system without hard links (FAT/exFAT drives)', () => {
  it('falls back to an exclusive create and still refuses a second holder', async () => {
    const { promises } = await import('node:fs');
    const link = vi.spyOn(promises, 'link').mockRejectedValue(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    const dir = join(root, 'exfat');
    const a = new ProjectStore({ owner: 'A' });
    await a.create(dir, 'On exFAT');
    expect(link).toHaveBeenCalled();
    expect(JSON.parse(await fs.readFile(join(dir, LOCK_FILE), 'utf8')).owner).toBe('A');
    const held = JSON.parse(await fs.readFile(join(dir, LOCK_FILE), 'utf8')) as { pid: number };
    await fs.writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...held, pid: process.ppid }));
    expect(await code(new ProjectStore({ owner: 'B' }).openProject(dir))).toBe('PROJECT_LOCKED');
  });
});

describe('ProjectLock under contention', () => {
  /** N processes try to lock one folder at the same instant; resolves with each one's outcome. */
  async function race(dir: string, n: number): Promise<{ outcomes: string[]; release: () => Promise<void> }> {
    const script = join(root, 'contender.mts');
    await fs.writeFile(
      script,
      `import { ProjectLock } from ${JSON.stringify(new URL('./lock.ts', import.meta.url).pathname)};
      process.stdout.write('ready\\n');
      process.stdin.once('data', async () => {
        let out;
        try { await ProjectLock.acquire(${JSON.stringify(dir)}, 'contender ' + process.pid); out = 'won'; } catch (e) { out = e.code ?? String(e); }
        process.stdout.write(out + '\\n');
      });
      process.stdin.on('end', () => process.exit(0));`,
    );
    const children = Array.from({ length: n }, () => spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const lines = children.map((c) => {
      let buf = '';
      const waiters: Array<() => void> = [];
      c.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        waiters.splice(0).forEach((w) => w());
      });
      c.once('exit', () => waiters.splice(0).forEach((w) => w()));
      /** Resolves with the k-th line the process printed (or what it had when it exited). */
      return async (k: number) => {
        for (;;) {
          const ls = buf.split('\n');
          if (ls.length > k + 1) return ls[k]!;
          if (c.exitCode !== null) return ls[k] ?? 'exited';
          await new Promise<void>((r) => waiters.push(r));
        }
      };
    });
    // Every contender has loaded and waits: then all are told to go at once (events, not a delay).
    await Promise.all(lines.map((l) => l(0)));
    for (const c of children) c.stdin!.write('go\n');
    const outcomes = await Promise.all(lines.map((l) => l(1)));
    const release = async () => {
      await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : (c.once('exit', r), c.stdin!.end())))));
    };
    return { outcomes, release };
  }

  it('exactly one of several processes racing for a free lock gets it', async () => {
    const dir = join(root, 'contended');
    await fs.mkdir(dir);
    const { outcomes, release } = await race(dir, 6);
    await release();
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'PROJECT_LOCKED')).toHaveLength(5);
  });

  it('exactly one of several processes racing to take over a stale lock gets it', async () => {
    const dir = join(root, 'stale-contended');
    await fs.mkdir(dir);
    const deadPid = await deadProcessPid();
    await fs.writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid, host: (await import('node:os')).hostname(), createdAt: new Date(0).toISOString(), owner: 'crashed' }));
    const { outcomes, release } = await race(dir, 6);
    await release();
    expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
  });
});

describe('leftovers of a killed studio', () => {
  it('opening a project removes the temporaries and partial renders a dead process left, and nothing else', async () => {
    const dir = join(root, 'left');
    const a = new ProjectStore({ owner: 'test A' });
    await a.create(dir, 'Left');
    await a.close(dir);
    const dead = await deadProcessPid();
    await fs.writeFile(join(dir, `.project.json.${dead}.deadbeef.tmp`), '{"half":');
    await fs.writeFile(join(dir, 'renders', `.cut.partial-${dead}.mp4`), 'half a video');
    await fs.writeFile(join(dir, 'renders', 'keep.mp4'), 'a finished render');
    const b = new ProjectStore({ owner: 'test B' });
    await b.openProject(dir);
    expect(await fs.readdir(dir)).not.toContain(`.project.json.${dead}.deadbeef.tmp`);
    expect(await fs.readdir(join(dir, 'renders'))).toEqual(['keep.mp4']);
    expect((await readProjectFile(dir)).project.name).toBe('Left');
    await b.close(dir);
  });
});

describe('writeFileAtomic', () => {
  it('survives a kill -9 in the middle of repeated saves', async () => {
    const file = join(root, 'project.json');
    await writeFileAtomic(file, JSON.stringify({ n: 0, pad: 'x'.repeat(200_000) }));
    // A child process saves in a tight loop; we kill it at an arbitrary instant.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(new URL('../../fs/atomic-write.ts', import.meta.url).pathname)};
      let n = 0;
      for (;;) {
        await writeFileAtomic(${JSON.stringify(file)}, JSON.stringify({ n: ++n, pad: 'x'.repeat(200000) }));
        process.send?.(n);
      }
    `;
    const scriptFile = join(root, 'writer.mts');
    await fs.writeFile(scriptFile, script);
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', scriptFile], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      // Kill after a different number of completed saves each round (an event, not a delay): the
      // kill lands at whatever point of the next save the child has reached.
      const after = 3 + round * 5;
      await new Promise<void>((r) => child.on('message', (n) => Number(n) >= after && r()));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { n: number; pad: string };
      expect(parsed.pad.length).toBe(200_000);
    }
    const final = JSON.parse(await fs.readFile(file, 'utf8')) as { n: number };
    expect(final.n).toBeGreaterThan(0);
  });
});
