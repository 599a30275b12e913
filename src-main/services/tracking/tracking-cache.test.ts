/**
 * The derived-curves cache and tracking.data by range, on a real tracked clip (franck, 72 frames):
 * the streamed derivation equals the whole-clip one it replaces, bit for bit; ranges are slices of
 * the whole; a damaged, cut-short or stale cache is rebuilt; a running tracking still shows.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { readProjectFile } from '../project/project-store.js';
import { CHANNEL_IDS, tracksFromParams } from '../../../src-shared/timeline/index.js';
import { RECORD_CHANNELS, RECORD_FLOATS, REC_POSE, REC_STATUS, STATUS_NO_FACE, STATUS_UNTRACKED } from '../../../src-shared/tracks/record.js';
import { TRACKING_DATA_MAX_FRAMES, TrackingDataAssembler, decodeTrackingData, encodeTrackingData, type TrackingData } from '../../../src-shared/tracks/tracking-wire.js';
import { fetchTrackingData } from '../../../src-shared/tracks/fetch-tracking.js';
import { ActorFile, CropsFile, readFloats, readJson, trackPaths } from './track-files.js';
import { currentHeader, encodeTrackHeader } from './track-format.js';
import { loadTrackParams, trackingCachePath, trackingData } from './tracking-service.js';
import { TrackingCache, memoryTrackingCache, readCrops } from './tracking-cache.js';

let studio: Studio;
let client: PortraitClient;
let root: string;
/** franck_3s tracked once (72 frames, a face in each). */
let tracked: string;
const N = 72;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'track-cache-'));
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
  tracked = join(root, 'franck');
  await client.call('project.create', { dir: tracked });
  await (await client.startJob('project.importVideo', { dir: tracked, role: 'target', path: fixture('franck_3s.mp4') })).result;
  await (await client.startJob('tracking.start', { dir: tracked, role: 'target' })).result;
}, 600_000);
afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

/** What tracking.data replied before the cache was streamed: the whole-clip derivation (loadTrackParams + tracksFromParams). */
async function wholeClipBefore(dir: string): Promise<TrackingData> {
  const { project } = await readProjectFile(dir);
  const { fps, frameCount, status, confidence, frames } = await loadTrackParams(dir, project, 'target');
  const tracks = tracksFromParams(fps, frames);
  const channels: Record<string, Float32Array> = {};
  for (const id of CHANNEL_IDS) channels[id] = tracks.channels[id];
  const paths = trackPaths(dir, 'target');
  const actor = await readJson(paths.actor, ActorFile);
  const crops = await readJson(paths.crops, CropsFile);
  return decodeTrackingData(
    encodeTrackingData({
      role: 'target',
      fps,
      frameCount,
      status,
      confidence,
      channels,
      sh: tracks.sh!,
      crops: crops?.crops ?? null,
      actor: actor ? { focalPx: actor.focalPx, width: actor.width, height: actor.height, neutral: actor.neutral, albedo: actor.albedo } : null,
    }),
  );
}

let copies = 0;
/** A copy of the tracked project, open in this session. */
async function copyOf(name: string): Promise<string> {
  const dir = join(root, `${name}-${copies++}`);
  await fs.cp(tracked, dir, { recursive: true });
  await fs.rm(join(dir, 'project.lock'), { force: true });
  await client.call('project.open', { dir });
  return dir;
}

/** Rewrites the target's records file (today's layout unless `channels` names another), frame by frame through `edit`. */
async function editRecords(dir: string, edit: (rec: Float32Array, frame: number) => void, channels: readonly string[] = RECORD_CHANNELS): Promise<void> {
  const path = trackPaths(dir, 'target').records;
  const recs = (await readFloats(path))!;
  for (let f = 0; f < N; f++) edit(recs.subarray(f * RECORD_FLOATS, (f + 1) * RECORD_FLOATS), f);
  const out = new Float32Array(N * channels.length);
  for (let f = 0; f < N; f++) channels.forEach((c, i) => (out[f * channels.length + i] = RECORD_CHANNELS.includes(c) ? recs[f * RECORD_FLOATS + RECORD_CHANNELS.indexOf(c)]! : 12345));
  const header = encodeTrackHeader({ ...currentHeader('records', N, channels.length), channels: [...channels] });
  await rewrite(path, Buffer.concat([header, Buffer.from(out.buffer)]));
}

let ticks = 0;
/** Rewrites a file in place (as the tracking job does) with a modification time of its own, whatever the clock's grain. */
async function rewrite(path: string, bytes: Buffer): Promise<void> {
  await fs.writeFile(path, bytes);
  const t = new Date(Date.now() + 10_000 + 1000 * ++ticks);
  await fs.utimes(path, t, t);
}

/** Frames without a face, untracked frames at both ends and in the middle: every gap kind. */
function withGaps(rec: Float32Array, f: number): void {
  if (f < 3 || f >= 66) rec[REC_STATUS] = STATUS_UNTRACKED;
  else if (f === 10 || (f >= 20 && f < 31) || f === 40 || f === 42) rec[REC_STATUS] = STATUS_NO_FACE;
}

describe('the curves cache (cache/tracking-data-<role>.bin)', () => {
  it('derives what the whole-clip derivation did, bit for bit: as tracked, with gaps, from an older record layout', async () => {
    const asTracked = await wholeClipBefore(tracked);
    expect(asTracked.status.every((s) => s === 1)).toBe(true);
    expect(await fetchTrackingData(client, tracked, 'target', 16)).toEqual(asTracked);

    const gaps = await copyOf('gaps');
    await editRecords(gaps, withGaps);
    const before = await wholeClipBefore(gaps);
    expect(before.status.filter((s) => s === 1)).toHaveLength(N - 9 - 14);
    expect(await fetchTrackingData(client, gaps, 'target', 16)).toEqual(before);

    // A file written before a control existed (one channel missing, one unknown, another order): read by name.
    const older = await copyOf('older');
    const layout = [...RECORD_CHANNELS.filter((c) => c !== 'expression.cheekPuff'), 'expression.retired'].reverse();
    await editRecords(older, withGaps, layout);
    const olderBefore = await wholeClipBefore(older);
    expect(olderBefore.channels['expr.cheekPuff']!.every((v) => v === 0)).toBe(true);
    expect(await fetchTrackingData(client, older, 'target', 16)).toEqual(olderBefore);
  });

  it('streams chunk by chunk: a cache of 10-frame chunks reads back every range as the whole', async () => {
    const dir = await copyOf('chunks');
    await editRecords(dir, withGaps);
    const { project } = await readProjectFile(dir);
    const m = project.media.target!;
    const paths = trackPaths(dir, 'target');
    const source = { records: paths.records, crops: paths.crops, actor: paths.actor, role: 'target' as const, fps: m.probe.fps, frameCount: N, key: 'test' };
    const small = await TrackingCache.openMemory(await memoryTrackingCache(source, 10));
    const big = await TrackingCache.openMemory(await memoryTrackingCache(source));
    expect(small.header.chunkFrames).toBe(10);
    const whole = await big.readRange(0, N);
    for (const [from, count] of [[0, N], [0, 10], [5, 10], [9, 2], [19, 23], [70, 2], [72, 0], [33, 1]] as const) {
      const r = await small.readRange(from, count);
      expect(Array.from(r.status)).toEqual(Array.from(whole.status.subarray(from, from + count)));
      expect(Array.from(r.confidence)).toEqual(Array.from(whole.confidence.subarray(from, from + count)));
      expect(Array.from(r.sh)).toEqual(Array.from(whole.sh.subarray(from * 27, (from + count) * 27)));
      expect(Array.from(r.crops!)).toEqual(Array.from(whole.crops!.subarray(from * 3, (from + count) * 3)));
      CHANNEL_IDS.forEach((_, c) => expect(Array.from(r.channels.subarray(c * count, (c + 1) * count))).toEqual(Array.from(whole.channels.subarray(c * N + from, c * N + from + count))));
    }
    await small.close();
    await big.close();
  });

  it('serves ranges that are slices of the whole clip, all of one revision', async () => {
    const whole = await client.call('tracking.data', { dir: tracked, role: 'target' });
    expect(whole).toMatchObject({ from: 0, count: N, frameCount: N });
    const d = decodeTrackingData(whole);
    const head = await client.call('tracking.data', { dir: tracked, role: 'target', from: 0, count: 0 });
    expect(head).toMatchObject({ from: 0, count: 0, frameCount: N, fps: whole.fps, channelIds: whole.channelIds, revision: whole.revision, actor: whole.actor });
    const asm = new TrackingDataAssembler(head);
    for (let from = 0; from < N; from += 7) {
      const r = await client.call('tracking.data', { dir: tracked, role: 'target', from, count: Math.min(7, N - from), revision: head.revision });
      expect(r.revision).toBe(whole.revision);
      const one = new TrackingDataAssembler({ ...r, from: 0, count: 0, frameCount: r.count });
      one.add({ ...r, from: 0, frameCount: r.count });
      const part = one.done();
      expect(part.status).toEqual(d.status.slice(from, from + r.count));
      expect(part.channels['head.yaw']).toEqual(d.channels['head.yaw']!.slice(from, from + r.count));
      expect(part.crops).toEqual(d.crops!.slice(from, from + r.count));
      asm.add(r);
    }
    expect(asm.done()).toEqual(d);
  });

  it('refuses a range past the end, or too long, with BAD_REQUEST', async () => {
    for (const range of [{ from: N + 1 }, { from: 70, count: 5 }, { from: N, count: 1 }, { count: TRACKING_DATA_MAX_FRAMES + 1 }]) {
      await expect(client.call('tracking.data', { dir: tracked, role: 'target', ...range })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(client.call('tracking.data', { dir: tracked, role: 'target', from: 70, count: 5 })).rejects.toThrow(/past its end \(72 frames\)/);
    // The end itself is a valid empty range.
    expect(await client.call('tracking.data', { dir: tracked, role: 'target', from: N, count: 0 })).toMatchObject({ from: N, count: 0 });
    // A long clip asked for whole is told to ask by range (checked before anything is read).
    const { project } = await readProjectFile(tracked);
    const m = project.media.target!;
    const long = { ...project, media: { ...project.media, target: { ...m, probe: { ...m.probe, frameCount: 30_000 } } } };
    const e = await trackingData(tracked, long, 'target').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PortraitError);
    expect(e).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/by range/) });
  });

  it('rebuilds a cut-short, damaged or foreign cache file, never serves it', async () => {
    const dir = await copyOf('damage');
    const expected = await wholeClipBefore(dir);
    const file = trackingCachePath(dir, 'target');
    expect(await fetchTrackingData(client, dir, 'target')).toEqual(expected);
    const good = await fs.readFile(file);
    const damages: Array<[string, (b: Buffer) => Buffer]> = [
      ['cut short', (b) => b.subarray(0, b.length - 100)],
      ['a flipped byte in the curves', (b) => {
        const c = Buffer.from(b);
        c.writeUInt8(c.readUInt8(c.length - 5000) ^ 0x10, c.length - 5000);
        return c;
      }],
      ['a flipped byte in the header', (b) => {
        const c = Buffer.from(b);
        c.writeUInt8(c.readUInt8(40) ^ 0x01, 40);
        return c;
      }],
      ['not a cache', () => Buffer.from('{"key":"v1|not json')],
      ['empty', () => Buffer.alloc(0)],
    ];
    for (const [what, damage] of damages) {
      await fs.writeFile(file, damage(good));
      expect(await fetchTrackingData(client, dir, 'target'), what).toEqual(expected);
      expect((await fs.readFile(file)).equals(good), what).toBe(true);
    }
    // Deleted: derived again.
    await fs.rm(join(dir, 'cache'), { recursive: true });
    expect(await fetchTrackingData(client, dir, 'target')).toEqual(expected);
  });

  it('a damaged chunk found by a pinned range read is rebuilt too', async () => {
    const dir = await copyOf('pinned-damage');
    const head = await client.call('tracking.data', { dir, role: 'target', from: 0, count: 0 });
    const file = trackingCachePath(dir, 'target');
    const c = await fs.readFile(file);
    c.writeUInt8(c.readUInt8(c.length - 300) ^ 0x04, c.length - 300);
    await fs.writeFile(file, c);
    const r = await client.call('tracking.data', { dir, role: 'target', from: 0, count: N, revision: head.revision });
    expect(r.revision).toBe(head.revision);
    expect(decodeTrackingData(r)).toEqual(await wholeClipBefore(dir));
  });

  it('rebuilds when a track file changes (its size, time or inode), and leaves the old JSON cache behind no more', async () => {
    const dir = await copyOf('stale');
    await fs.mkdir(join(dir, 'cache'), { recursive: true });
    await fs.writeFile(join(dir, 'cache', 'tracking-data-target.json'), '{"key":"v1","data":{}}');
    const first = await client.call('tracking.data', { dir, role: 'target' });
    await expect(fs.stat(join(dir, 'cache', 'tracking-data-target.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Same content, new time: a new derivation (same curves).
    const later = new Date(Date.now() + 5000);
    await fs.utimes(trackPaths(dir, 'target').records, later, later);
    const touched = await client.call('tracking.data', { dir, role: 'target' });
    expect(touched.revision).not.toBe(first.revision);
    expect(decodeTrackingData(touched)).toEqual(decodeTrackingData(first));
    // New content: the curves follow it.
    await editRecords(dir, (rec, f) => {
      if (f === 30) rec[REC_POSE] = rec[REC_POSE]! + 20;
    });
    const edited = decodeTrackingData(await client.call('tracking.data', { dir, role: 'target' }));
    expect(edited).toEqual(await wholeClipBefore(dir));
    expect(edited.channels['head.yaw']![30]).not.toBe(decodeTrackingData(first).channels['head.yaw']![30]);
  });

  it('shows a running tracking as it stands (no crops yet), reads a pinned revision consistently, and follows it on', async () => {
    const dir = await copyOf('running');
    const paths = trackPaths(dir, 'target');
    const full = await fs.readFile(paths.records);
    const crops = await fs.readFile(paths.crops);
    // Tracking under way: 40 frames done, no crops yet (they are written at the end).
    await editRecords(dir, (rec, f) => {
      if (f >= 40) rec.fill(0);
    });
    await fs.rm(paths.crops);
    const partial = await fetchTrackingData(client, dir, 'target', 16);
    expect(partial).toEqual(await wholeClipBefore(dir));
    expect(partial.status.filter((s) => s === 1)).toHaveLength(40);
    expect(partial.crops).toBeNull();
    const pinned = await client.call('tracking.data', { dir, role: 'target', from: 0, count: 0 });

    // The job writes more frames: a reader pinned to the earlier revision still gets that one ...
    await rewrite(paths.records, full);
    const old = await client.call('tracking.data', { dir, role: 'target', from: 32, count: 16, revision: pinned.revision });
    expect(old.revision).toBe(pinned.revision);
    const oldStatus = Buffer.from(old.status, 'base64');
    expect([...oldStatus]).toEqual([...Array(8).fill(1), ...Array(8).fill(0)]);
    // ... and a new read gets the new state.
    const more = await fetchTrackingData(client, dir, 'target', 16);
    expect(more.status.every((s) => s === 1)).toBe(true);
    expect(more.crops).toBeNull();
    // Finished: crops appear.
    await fs.writeFile(paths.crops, crops);
    const done = await fetchTrackingData(client, dir, 'target', 16);
    expect(done).toEqual(await wholeClipBefore(dir));
    expect(done.crops).toHaveLength(N);
  });

  it('a chunked read that sees the tracking move under it starts over and returns the new state', async () => {
    const dir = await copyOf('moving');
    const paths = trackPaths(dir, 'target');
    const full = await fs.readFile(paths.records);
    await editRecords(dir, (rec, f) => {
      if (f >= 40) rec.fill(0);
    });
    let calls = 0;
    let moved = false;
    // The job writes its next chunk right after the studio's first call (and the old derivation is gone).
    const racing = {
      call: async (channel: 'tracking.data', payload: Parameters<PortraitClient['call']>[1]) => {
        const r = await client.call(channel, payload as never);
        calls++;
        if (!moved) {
          moved = true;
          await rewrite(paths.records, full);
          await fs.rm(trackingCachePath(dir, 'target'));
        }
        return r;
      },
    } as unknown as PortraitClient;
    const d = await fetchTrackingData(racing, dir, 'target', 32);
    expect(d.status.every((s) => s === 1)).toBe(true);
    expect(d).toEqual(await wholeClipBefore(dir));
    // head, one chunk of the old revision (refused), then head and 3 chunks again.
    expect(calls).toBe(6);
  });

  it('a cache that cannot be written only loses the file: the curves are still served', async () => {
    const dir = await copyOf('unwritable');
    await fs.rm(join(dir, 'cache'), { recursive: true, force: true });
    await fs.writeFile(join(dir, 'cache'), 'a file where the cache folder goes');
    expect(await fetchTrackingData(client, dir, 'target', 16)).toEqual(await wholeClipBefore(dir));
  });
});

describe('readCrops: crops.json read in pieces', () => {
  const boxes = Array.from({ length: 3000 }, (_, i) => ({ x: Math.sin(i) * 1e3, y: i % 7 === 0 ? -1.5e-7 * i : Math.cos(i) * 99.125, size: i === 5 ? 3e21 : 200 + i / 3 }));
  // As JSON has them (-0 is written 0).
  const flat = (b: typeof boxes) => Float64Array.from((JSON.parse(JSON.stringify(b)) as typeof boxes).flatMap((c) => [c.x, c.y, c.size]));

  it('gives what JSON.parse gives, across pieces, in the compact spelling and any other', async () => {
    const file = join(root, 'crops.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, crops: boxes }));
    expect((await fs.stat(file)).size).toBeGreaterThan(3 * 65536);
    expect(await readCrops(file, boxes.length)).toEqual(flat(boxes));
    await fs.writeFile(file, JSON.stringify({ crops: boxes, version: 1 }, null, 2));
    expect(await readCrops(file, boxes.length)).toEqual(flat(boxes));
    await fs.writeFile(file, JSON.stringify({ version: 1, crops: [] }));
    expect(await readCrops(file, 0)).toEqual(new Float64Array(0));
    // The tracked clip's own file.
    const real = JSON.parse(await fs.readFile(trackPaths(tracked, 'target').crops, 'utf8')) as { crops: typeof boxes };
    expect(await readCrops(trackPaths(tracked, 'target').crops, N)).toEqual(flat(real.crops));
  });

  it('is null for a missing, damaged, cut-short or wrong-length file, or a value out of range', async () => {
    const file = join(root, 'crops-bad.json');
    const compact = JSON.stringify({ version: 1, crops: boxes });
    expect(await readCrops(join(root, 'none.json'), 3)).toBeNull();
    for (const text of [compact.slice(0, 100_000), compact.slice(0, -2), `${compact}x`, JSON.stringify({ version: 2, crops: boxes }), compact.replace('"size":200.3333333333333', '"size":1e999'), compact.replace('"x":0,', '"x":"0",')]) {
      await fs.writeFile(file, text);
      expect(await readCrops(file, boxes.length)).toBeNull();
    }
    await fs.writeFile(file, compact);
    expect(await readCrops(file, boxes.length - 1)).toBeNull();
    expect(await readCrops(file, boxes.length + 1)).toBeNull();
  });
});

