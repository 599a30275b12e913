/**
 * The render farm against a real redis-server and real `portrait worker` processes (started as a
 * user would). Every wait is on an event (a worker's output line, a job's progress, a process
 * exit); the timeouts only catch a hang.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/helpers/paths.js';
import { farmJobsLeft, leftovers, startWorker, stopProc, trainedProject, type Proc as WorkerProc } from '../../../../test/helpers/farm.js';
import { freePort, startRedis, type RedisServer } from '../../../../test/helpers/redis-server.js';
import { createStudio, type Studio } from '../../index.js';
import { studioClient } from '../../studio-client.js';
import type { PortraitClient } from '../../../../src-shared/ipc/client.js';
import { probeMedia } from '../../media/probe.js';
import { runFfmpeg } from '../../media/run-ffmpeg.js';
import { emptyEdits } from '../../../../src-shared/timeline/index.js';
import { main } from '../../../cli/main.js';

let redis: RedisServer;
let studio: Studio;
let client: PortraitClient;
let root: string;
let dir: string;
const workers: WorkerProc[] = [];

async function sha(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

/** The decoded sound (16-bit PCM) and its sample count: equal audio, not just an equal header. */
async function pcm(file: string): Promise<{ hash: string; samples: number }> {
  const r = await runFfmpeg(['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-f', 's16le', '-acodec', 'pcm_s16le', '-']);
  expect(r.code).toBe(0);
  return { hash: createHash('sha256').update(r.stdout).digest('hex'), samples: r.stdout.length / 2 };
}

beforeAll(async () => {
  redis = await startRedis();
  root = await fs.mkdtemp(join(tmpdir(), 'farm-'));
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
  for (const name of ['w1', 'w2', 'w3']) workers.push(startWorker(name, redis.url));
  dir = await trainedProject(client, join(root, 'farm'));
  await Promise.all(workers.map((w) => w.waitFor(/ready: queue portrait-render/)));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => stopProc(w)));
  await studio?.dispose();
  await redis?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('render farm (real redis-server, three worker processes)', () => {
  it('a worker killed mid-chunk: the chunk goes to another worker and the PNG frames equal a one-machine render bit for bit', async () => {
    const local = join(dir, 'renders', 'local-png');
    const farmOut = join(dir, 'renders', 'farm-png');
    const range = { start: 0, end: 23 };
    await (await client.startJob('render.start', { dir, out: local, codec: 'png', range })).result;

    const job = await client.startJob('render.start', { dir, out: farmOut, codec: 'png', range, farm: { url: redis.url, chunkFrames: 4 } });
    // Whichever worker starts a chunk first is killed the moment it says so: mid-chunk.
    // (The others' waits never settle once a victim is chosen: they must not reject when those workers stop.)
    const victim = await Promise.race(workers.map((w) => w.waitFor(/chunk \S+ \(frames \d+\.\.\d+\) started/).then((line) => ({ w, line }), () => new Promise<never>(() => {}))));
    victim.w.child.kill('SIGKILL');
    await once(victim.w.child, 'exit');
    const chunkId = /chunk (\S+) /.exec(victim.line)![1]!;

    const r = await job.result;
    expect(r).toMatchObject({ frames: 24, file: farmOut, audio: 'none' });
    // The killed worker's chunk was rendered again, by a live worker.
    const others = workers.filter((w) => w !== victim.w);
    expect(others.some((w) => w.lines.some((l) => l.includes(`chunk ${chunkId} `) && l.includes('done:')))).toBe(true);

    const a = (await fs.readdir(local)).sort();
    const b = (await fs.readdir(farmOut)).sort();
    expect(b).toEqual(a);
    expect(b.filter((n) => n.endsWith('.png'))).toHaveLength(24);
    for (const name of a) expect(await sha(join(farmOut, name)), name).toBe(await sha(join(local, name)));
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
    const listed = await client.call('render.list', { dir });
    expect(listed.find((e) => e.file === farmOut)).toMatchObject({ codec: 'png', frames: 24 });
    workers.splice(workers.indexOf(victim.w), 1);
  });

  it('cancel removes the queued chunks from Redis and the segments from disk', async () => {
    const out = join(dir, 'renders', 'cancelled.mp4');
    let sent = false;
    const job = await client.startJob('render.start', { dir, out, farm: { url: redis.url, chunkFrames: 1 } }, (p) => {
      // Cancel once a chunk has rendered a frame: chunks are then waiting, active and done.
      if (!sent && p.done >= 1) {
        sent = true;
        void job.cancel();
      }
    });
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(fs.access(out)).rejects.toThrow();
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
  });

  it('a worker stopped with Ctrl+C mid-chunk hands the chunk straight back and exits cleanly', async () => {
    workers.push(startWorker('w4', redis.url));
    await workers.at(-1)!.waitFor(/ready: queue portrait-render/);
    const out = join(dir, 'renders', 'handed-back');
    const job = await client.startJob('render.start', { dir, out, codec: 'png', range: { start: 8, end: 19 }, farm: { url: redis.url, chunkFrames: 12 } });
    const first = await Promise.race(workers.map((w) => w.waitFor(/chunk \S+ \(frames 8\.\.19\) started/).then((line) => ({ w, line }), () => new Promise<never>(() => {}))));
    const exited = once(first.w.child, 'exit');
    first.w.child.kill('SIGINT');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
    expect(first.w.lines.join('\n')).toMatch(/handed back \(worker stopping\)[\s\S]*worker stopped/);
    expect((await job.result).frames).toBe(12);
    const chunkId = /chunk (\S+) /.exec(first.line)![1]!;
    expect(workers.some((w) => w !== first.w && w.lines.some((l) => l.includes(`chunk ${chunkId} `) && l.includes('done:')))).toBe(true);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
    workers.splice(workers.indexOf(first.w), 1);
  });

  it('H.264 with sound: the joined file has the frame count, duration and audio of a one-machine render', async () => {
    const local = join(dir, 'renders', 'local.mp4');
    const farmOut = join(dir, 'renders', 'farm.mp4');
    const range = { start: 2, end: 21 };
    const one = await (await client.startJob('render.start', { dir, out: local, range })).result;
    const farm = await (await client.startJob('render.start', { dir, out: farmOut, range, farm: { url: redis.url, chunkFrames: 6 } })).result;
    expect(farm).toMatchObject({ frames: 20, fps: one.fps, width: one.width, height: one.height, audio: 'target', checkpointStep: one.checkpointStep });
    const a = await probeMedia(local);
    const b = await probeMedia(farmOut);
    expect(b.frameCount).toBe(20);
    expect(b.frameCount).toBe(a.frameCount);
    expect(b.durationSec).toBeCloseTo(a.durationSec, 6);
    expect(b.fps).toBe(a.fps);
    expect(b.audio).toEqual(a.audio);
    expect(await pcm(farmOut)).toEqual(await pcm(local));
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
  });

  it('portrait render --farm submits from the command line and prints the result', async () => {
    // The CLI opens the project itself: this session lets go of it first.
    await client.call('project.close', { dir });
    const out: string[] = [];
    const err: string[] = [];
    const file = join(dir, 'renders', 'cli.mkv');
    const code = await main(['render', dir, '--out', file, '--codec', 'ffv1', '--range', '3:12', '--farm', redis.url, '--chunk-frames', '4', '--json'], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code, err.join('\n')).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ file, frames: 10, audio: 'target' });
    expect((await probeMedia(file)).frameCount).toBe(10);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
    await client.call('project.open', { dir });
  });

  it('compare layout with the transfer on: chunks that start mid-range show the same source frames (PNG bit-identical)', async () => {
    // The left picture follows the source through a SequentialFrameReader that each chunk starts afresh.
    await (await client.startJob('project.importVideo', { dir, role: 'source', path: fixture('cap12_2s.mp4') })).result;
    await (await client.startJob('tracking.start', { dir, role: 'source' })).result;
    const edits = emptyEdits();
    edits.transfer.enabled = true;
    edits.transfer.timeOffsetSec = 0.1;
    await client.call('timeline.save', { dir, edits });
    const local = join(dir, 'renders', 'compare-local');
    const farmOut = join(dir, 'renders', 'compare-farm');
    const range = { start: 1, end: 14 };
    await (await client.startJob('render.start', { dir, out: local, codec: 'png', layout: 'compare', range })).result;
    await (await client.startJob('render.start', { dir, out: farmOut, codec: 'png', layout: 'compare', range, farm: { url: redis.url, chunkFrames: 5 } })).result;
    const names = (await fs.readdir(local)).sort();
    expect(names.filter((n) => n.endsWith('.png'))).toHaveLength(14);
    expect((await fs.readdir(farmOut)).sort()).toEqual(names);
    for (const name of names) expect(await sha(join(farmOut, name)), name).toBe(await sha(join(local, name)));
  });

  it('a chunk that fails on every attempt fails the render with the worker\'s error, and leaves nothing behind', async () => {
    // Only a worker that cannot see the project is left: it maps the project folder somewhere empty.
    await Promise.all(workers.splice(0).map((w) => stopProc(w)));
    const blind = startWorker('blind', redis.url, ['--map-path', `${root}=/nonexistent-portrait-farm`]);
    workers.push(blind);
    await blind.waitFor(/ready: queue portrait-render/);
    const out = join(dir, 'renders', 'failing.mp4');
    const job = await client.startJob('render.start', { dir, out, range: { start: 0, end: 5 }, farm: { url: redis.url } });
    await expect(job.result).rejects.toMatchObject({
      code: 'PROJECT_NOT_FOUND',
      message: expect.stringMatching(/^Chunk 0 \(frames 0\.\.5\) failed after 3 attempts: The project folder \/nonexistent-portrait-farm\/farm is not there on this worker\. \(on worker blind\)$/),
    });
    await expect(fs.access(out)).rejects.toThrow();
    expect(await leftovers(join(dir, 'renders'))).toEqual([]);
    expect(await farmJobsLeft(redis.url)).toEqual([]);
  });

  it('an unreachable farm is a clear error, not a wait', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const job = await client.startJob('render.start', { dir, out: join(dir, 'renders', 'nowhere.mp4'), farm: { url } });
    await expect(job.result).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/render farm at redis:\/\/127\.0\.0\.1:\d+ cannot be reached \(.*ECONNREFUSED.*\)/) });
    await expect(client.startJob('render.start', { dir, out: join(dir, 'renders', 'x.mp4'), farm: { url: 'http://farm:6379' } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // A worker pointed at it says so and exits 1.
    const w = startWorker('lost', url);
    const [code] = (await once(w.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(w.lines.join('\n')).toMatch(/cannot be reached/);
  });

  it('a worker whose Redis goes away gives up after --give-up-seconds and exits 1, saying why', async () => {
    const w = startWorker('orphan', redis.url, ['--give-up-seconds', '3']);
    workers.push(w);
    await w.waitFor(/ready: queue portrait-render/);
    await redis.stop();
    const [code] = (await once(w.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(w.lines.join('\n')).toMatch(/The render farm at redis:\/\/127\.0\.0\.1:\d+ has been unreachable for 3 s \(.*\); the worker stopped\./);
  });
});
