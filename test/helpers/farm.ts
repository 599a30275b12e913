import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fixture, REPO } from './paths.js';
import type { PortraitClient } from '../../src-shared/ipc/client.js';
import { FARM_QUEUE } from '../../src-main/services/render/farm/queue.js';

/**
 * The render farm's test pieces (farm.test.ts, farm-abandoned.test.ts): `portrait worker` and
 * `portrait render` processes started as a user would, whose output lines can be waited on, and
 * what a render leaves in Redis and on disk.
 */
export interface Proc {
  name: string;
  child: ChildProcess;
  lines: string[];
  /**
   * The first line (seen from line `from` on, or to come) matching `re`; rejects, with the
   * process's output, if the process exits first or after `ms` (a hang, not a wait: 5 min).
   */
  waitFor(re: RegExp, from?: number, ms?: number): Promise<string>;
}

export function startPortrait(name: string, args: string[]): Proc {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'portrait.mjs'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  const onLine = (l: string) => {
    lines.push(l);
    for (const w of [...waiters]) {
      if (w.re.test(l)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(l);
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', (l) => lines.push(`stderr: ${l}`));
  return {
    name,
    child,
    lines,
    waitFor: (re, from = 0, ms = 300_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.slice(from).find((l) => re.test(l));
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error(`${name} did not print ${re} in ${ms / 1000} s:\n${lines.slice(from).join('\n')}`)), ms);
        timer.unref();
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before printing ${re}:\n${lines.join('\n')}`)));
      }),
  };
}

export function startWorker(name: string, url: string, extra: string[] = []): Proc {
  // Short locks so a killed worker's chunk comes back within seconds.
  return startPortrait(name, ['worker', '--farm', url, '--lock-seconds', '2', '--name', name, ...extra]);
}

export async function stopProc(w: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = once(w.child, 'exit');
  w.child.kill(signal);
  await exited;
}

/** A project with the 1 s fixture imported, tracked and trained for 30 steps (tiny profile). */
export async function trainedProject(client: PortraitClient, d: string): Promise<string> {
  await client.call('project.create', { dir: d });
  await (await client.startJob('project.importVideo', { dir: d, role: 'target', path: fixture('with_audio.mp4') })).result;
  await (await client.startJob('tracking.start', { dir: d, role: 'target' })).result;
  await (await client.startJob('training.start', { dir: d, profile: 'tiny', steps: 30, backend: 'wasm' })).result;
  return d;
}

/** Every farm job (any state) and every `portrait:farm:*` key in the Redis of `url`. */
export async function farmJobsLeft(url: string): Promise<string[]> {
  const { Queue } = await import('bullmq');
  const q = new Queue(FARM_QUEUE, { connection: { host: '127.0.0.1', port: Number(/:(\d+)$/.exec(url)![1]) } });
  try {
    const jobs = await q.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'paused', 'completed', 'failed', 'waiting-children']);
    const keys = await (await q.client).runCommand('keys', ['portrait:farm:*']);
    return [...jobs.map((j) => String(j.id)), ...(keys as string[])];
  } finally {
    await q.close();
  }
}

/** The farm folders and partial outputs directly inside `folder`. */
export async function leftovers(folder: string): Promise<string[]> {
  return (await fs.readdir(folder)).filter((n) => n.includes('.farm-') || n.includes('.partial-'));
}

/** Polls `fn` until it returns true (a condition outside this process: Redis, the disk); throws after `ms`. */
export async function until(what: string, fn: () => Promise<boolean>, ms = 120_000, everyMs = 250): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`Still waiting after ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
