/**
 * A farm render whose submitter dies (issue 17), against a real redis-server and a real
 * `portrait worker`: the submitter is a `portrait render --farm` process killed with SIGKILL.
 * Waits are on a process's output lines or exit, or a poll of Redis and the disk with a generous
 * deadline; never a fixed sleep.
 */
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farmJobsLeft, leftovers, startPortrait, startWorker, stopProc, trainedProject, until, type Proc } from '../../../../test/helpers/farm.js';
import { startRedis, type RedisServer } from '../../../../test/helpers/redis-server.js';
import { createStudio, type Studio } from '../../index.js';
import { studioClient } from '../../studio-client.js';
import type { PortraitClient } from '../../../../src-shared/ipc/client.js';
import { farmFolder } from './chunks.js';
import { aliveKey, chunkJobId, FARM_QUEUE, HEARTBEAT_TTL_MS, renderKey } from './queue.js';

let redis: RedisServer;
let studio: Studio;
let client: PortraitClient;
let root: string;
let dir: string;
let worker: Proc;
/** The test's own connection to the farm's Redis (for what a test sets up there by hand). */
let testQueue: import('bullmq').Queue;

const exists = (p: string) => fs.stat(p).then(() => true, () => false);

function withQueue<T>(fn: (q: import('bullmq').Queue) => Promise<T>): Promise<T> {
  return fn(testQueue);
}

beforeAll(async () => {
  redis = await startRedis();
  root = await fs.mkdtemp(join(tmpdir(), 'farm-abandoned-'));
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
  const { Queue } = await import('bullmq');
  testQueue = new Queue(FARM_QUEUE, { connection: { host: '127.0.0.1', port: redis.port } });
  await testQueue.waitUntilReady();
  worker = startWorker('w1', redis.url);
  dir = await trainedProject(client, join(root, 'p'));
  await worker.waitFor(/ready: queue portrait-render/);
});

afterAll(async () => {
  if (worker) await stopProc(worker);
  await testQueue?.close();
  await studio?.dispose();
  await redis?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('a farm render whose submitter died (real redis-server, one worker process)', () => {
  it('the next farm render into a folder removes a dead render\'s folder and chunks; a live render\'s, a recent one\'s and an unknown one\'s stay', async () => {
    const renders = join(dir, 'renders', 'shared');
    await fs.mkdir(renders, { recursive: true });
    const other = join(renders, 'earlier.mp4');
    const dead = farmFolder(other, 'dead00000001');
    const live = farmFolder(other, 'a11fe0000002');
    const unknown = farmFolder(other, 'f0e100000003');
    const recent = farmFolder(other, '4ece00000004');
    const old = new Date(Date.now() - 10 * HEARTBEAT_TTL_MS);
    for (const f of [dead, live, unknown, recent]) {
      await fs.mkdir(f);
      await fs.writeFile(join(f, 'seg-000000.mp4'), 'segment');
      if (f !== recent) await fs.utimes(f, old, old);
    }
    await withQueue(async (q) => {
      const r = await q.client;
      await r.set(renderKey('dead00000001'), dead);
      await r.set(renderKey('a11fe0000002'), live);
      await r.set(aliveKey('a11fe0000002'), 'another studio', { PX: 600_000 });
      await r.set(renderKey('4ece00000004'), recent);
      // A chunk of the dead render no worker will take (delayed an hour): the clean-up removes it.
      await q.add('chunk', { renderId: 'dead00000001', heartbeat: true }, { jobId: chunkJobId('dead00000001', 0), delay: 3_600_000 });
    });

    const r = await (await client.startJob('render.start', { dir, out: join(renders, 'next.mp4'), range: { start: 0, end: 3 }, farm: { url: redis.url, chunkFrames: 2 } })).result;
    expect(r.frames).toBe(4);

    expect(await exists(dead)).toBe(false);
    for (const f of [live, unknown, recent]) expect(await exists(join(f, 'seg-000000.mp4')), f).toBe(true);
    const left = await farmJobsLeft(redis.url);
    expect(left.sort()).toEqual([aliveKey('a11fe0000002'), renderKey('4ece00000004'), renderKey('a11fe0000002')].sort());
    await withQueue(async (q) => void (await (await q.client).del(aliveKey('a11fe0000002'), renderKey('a11fe0000002'), renderKey('4ece00000004'))));
    for (const f of [live, unknown, recent]) await fs.rm(f, { recursive: true });
  });

  it('portrait render --farm killed with SIGKILL: its chunks leave Redis and its segment folder goes, within the heartbeat\'s TTL; the worker goes on', async () => {
    // The CLI opens the project itself: this session lets go of it first.
    await client.call('project.close', { dir });
    const out = join(dir, 'renders', 'killed.mp4');
    // 24 one-frame chunks: the worker is still rendering them when the heartbeat expires (on a fast machine it may be done with them: the clean-up is the same).
    const from = worker.lines.length;
    const submitter = startPortrait('submitter', ['render', dir, '--out', out, '--farm', redis.url, '--chunk-frames', '1']);
    const firstDone = await worker.waitFor(/chunk [0-9a-f]+-\d{6} \(frames \d+\.\.\d+\) done:/, from);
    const renderId = /chunk ([0-9a-f]+)-\d{6} /.exec(firstDone)![1]!;
    const segDir = farmFolder(out, renderId);
    expect(await exists(segDir)).toBe(true);
    const exited = once(submitter.child, 'exit');
    submitter.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    // Nothing of the render in Redis (no job in any state, no key) and no folder: within the TTL and a few polls, with room for a busy machine.
    await until('the dead render\'s chunks and folder to go', async () => (await farmJobsLeft(redis.url)).length === 0 && !(await exists(segDir)), 6 * HEARTBEAT_TTL_MS);
    const seconds = (Date.now() - killedAt) / 1000;
    console.info(`farm-abandoned: kill -9 of the submitter -> its chunks and folder gone in ${seconds.toFixed(1)} s (heartbeat TTL ${HEARTBEAT_TTL_MS / 1000} s); the worker said:\n${worker.lines.slice(from).filter((l) => /abandoned \(|not rendered|stopped:/.test(l)).join('\n')}`);
    expect(worker.lines.join('\n')).toMatch(new RegExp(`render ${renderId} abandoned \\(its submitter stopped \\(no heartbeat for ${HEARTBEAT_TTL_MS / 1000} s\\)\\): removed its segment folder `));
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();

    // The worker takes the next render as usual.
    await client.call('project.open', { dir });
    const next = join(dir, 'renders', 'after.mp4');
    const r = await (await client.startJob('render.start', { dir, out: next, range: { start: 0, end: 5 }, farm: { url: redis.url, chunkFrames: 3 } })).result;
    expect(r).toMatchObject({ file: next, frames: 6 });
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
  });

  it('a submitter that dies once every chunk is rendered (mid-join): the worker still removes the finished chunks and the segments', async () => {
    const { renderId, out, from, stopBeating } = await killedSubmitter('mid-join.mp4', '0:5', 3);
    try {
      await worker.waitFor(new RegExp(`chunk ${renderId}-000000 .* done:`), from);
      await worker.waitFor(new RegExp(`chunk ${renderId}-000001 .* done:`), from);
    } finally {
      await stopBeating();
    }
    expect(await exists(join(farmFolder(out, renderId), 'seg-000001.mp4'))).toBe(true);
    const goneAt = Date.now();
    await until('the finished render\'s chunks and folder to go', async () => (await farmJobsLeft(redis.url)).length === 0 && !(await exists(farmFolder(out, renderId))), 6 * HEARTBEAT_TTL_MS);
    console.info(`farm-abandoned: heartbeat gone after the last chunk -> chunks and folder gone in ${((Date.now() - goneAt) / 1000).toFixed(1)} s`);
    expect(worker.lines.slice(from).join('\n')).toMatch(new RegExp(`render ${renderId} abandoned .*: removed its segment folder .* and 2 chunks from Redis`));
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    await client.call('project.open', { dir });
  });

  it('a heartbeat that goes while a chunk renders stops the chunk, without a retry', async () => {
    // A fresh worker: its first chunk loads the render thread and the generator (seconds), so the chunk is surely still in progress when the worker is held below.
    await stopProc(worker);
    worker = startWorker('w2', redis.url);
    await worker.waitFor(/ready: queue portrait-render/);
    const { renderId, out, from, stopBeating } = await killedSubmitter('mid-chunk.mp4', '0:23', 12);
    await worker.waitFor(new RegExp(`chunk ${renderId}-000000 .* started`), from);
    // The worker is held (SIGSTOP, for the millisecond of a DEL) so the chunk cannot end before its heartbeat is gone.
    worker.child.kill('SIGSTOP');
    try {
      await stopBeating();
    } finally {
      worker.child.kill('SIGCONT');
    }
    const goneAt = Date.now();
    await worker.waitFor(new RegExp(`chunk ${renderId}-000000 .* stopped: its render was abandoned`), from);
    const stoppedIn = (Date.now() - goneAt) / 1000;
    await until('the render\'s chunks and folder to go', async () => (await farmJobsLeft(redis.url)).length === 0 && !(await exists(farmFolder(out, renderId))), 6 * HEARTBEAT_TTL_MS);
    console.info(`farm-abandoned: heartbeat gone mid-chunk -> chunk stopped in ${stoppedIn.toFixed(1)} s, chunks and folder gone in ${((Date.now() - goneAt) / 1000).toFixed(1)} s`);
    const said = worker.lines.slice(from).join('\n');
    expect(said).not.toMatch(new RegExp(`chunk ${renderId}-000000 .* done:|chunk ${renderId}-000000 .*attempt 2`));
    expect(said).toMatch(new RegExp(`render ${renderId} abandoned .*: removed its segment folder`));
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    await client.call('project.open', { dir });
  });
});

/**
 * Starts `portrait render --farm` and kills it (SIGKILL) once the worker has taken its first
 * chunk; the test then keeps the dead submitter's heartbeat up itself until `stopBeating`, which
 * deletes it (an expiry, at a moment the test chooses).
 */
async function killedSubmitter(name: string, range: string, chunkFrames: number) {
  await client.call('project.close', { dir });
  const out = join(dir, 'renders', name);
  const from = worker.lines.length;
  const submitter = startPortrait('submitter', ['render', dir, '--out', out, '--range', range, '--farm', redis.url, '--chunk-frames', String(chunkFrames)]);
  const started = await worker.waitFor(/chunk [0-9a-f]+-\d{6} \(frames \d+\.\.\d+\) started/, from);
  const renderId = /chunk ([0-9a-f]+)-\d{6} /.exec(started)![1]!;
  const exited = once(submitter.child, 'exit');
  submitter.child.kill('SIGKILL');
  await exited;
  const beat = () => withQueue(async (q) => void (await (await q.client).set(aliveKey(renderId), 'the test', { PX: HEARTBEAT_TTL_MS })));
  await beat();
  let beating: Promise<void> = Promise.resolve();
  const refresh = setInterval(() => void (beating = beat().catch(() => {})), 1_000);
  return {
    renderId,
    out,
    from,
    async stopBeating() {
      clearInterval(refresh);
      await beating;
      await withQueue(async (q) => void (await (await q.client).del(aliveKey(renderId))));
    },
  };
}
