import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import { main } from '../../cli/main.js';
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { applyCommand, emptyEdits, parseEdits, tracksFromParams, type TimelineEdits } from '../../../src-shared/timeline/index.js';
import { readProjectFile } from '../project/project-store.js';
import { loadPerformance, paramsAt } from './performance.js';

let studio: Studio;
let client: PortraitClient;
let root: string;
let dir: string;
const quiet = { out: () => {}, err: () => {} };

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'perf-'));
  dir = join(root, 'p');
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
  await client.call('project.create', { dir });
  await (await client.startJob('project.importVideo', { dir, role: 'target', path: fixture('franck_3s.mp4') })).result;
  await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
  await client.call('project.close', { dir });
}, 120_000);
afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

function pixelsOf(dataUrl: string): Buffer {
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

describe('edits and the conditioning preview', () => {
  it('a head-yaw keyframe edit changes the conditioning image inside its range only, and persists', async () => {
    await client.call('project.open', { dir });
    const before20 = await client.call('conditioning.frame', { dir, frame: 20 });
    const before60 = await client.call('conditioning.frame', { dir, frame: 60 });
    const edits = applyCommand(
      { base: tracksFromParams(24, []), edits: emptyEdits() },
      {
        type: 'addKeys',
        channel: 'head.yaw',
        keys: [
          { frame: 10, value: 0, interp: 'linear', inSlope: 0, outSlope: 0 },
          { frame: 20, value: 15, interp: 'linear', inSlope: 0, outSlope: 0 },
          { frame: 30, value: 0, interp: 'linear', inSlope: 0, outSlope: 0 },
        ],
      },
    ).edits;
    await client.call('timeline.save', { dir, edits });
    const after20 = await client.call('conditioning.frame', { dir, frame: 20 });
    const after60 = await client.call('conditioning.frame', { dir, frame: 60 });
    expect(pixelsOf(after20.correspondence.dataUrl).equals(pixelsOf(before20.correspondence.dataUrl))).toBe(false);
    expect(pixelsOf(after60.correspondence.dataUrl).equals(pixelsOf(before60.correspondence.dataUrl))).toBe(true);
    // The evaluated yaw is the tracked yaw + 15 degrees at the key.
    const { project } = await readProjectFile(dir);
    const perf = await loadPerformance(dir, project);
    expect(paramsAt(perf, 20).yaw - perf.tracked[20]!.yaw).toBeCloseTo(15, 3);
    // Reopening restores the edits exactly.
    await client.call('project.close', { dir });
    await client.call('project.open', { dir });
    const loaded = await client.call('timeline.load', { dir });
    expect(parseEdits(loaded.edits)).toEqual(edits);
  });

  it('refuses invalid edits with a typed error and keeps the saved ones', async () => {
    const bad = { version: 1, channels: { 'head.yaw': { keys: [{ frame: 5, value: 1, interp: 'wobbly' }] } } };
    // Sent as a client that skips the types would send it: the contract's schema refuses it.
    await expect(client.call('timeline.save', { dir, edits: bad as unknown as TimelineEdits })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const loaded = await client.call('timeline.load', { dir });
    expect(JSON.stringify(loaded.edits)).toContain('head.yaw');
  });
});

describe('portrait reenact', () => {
  it('tracks the source and transfers its motion onto the target', async () => {
    await client.call('project.close', { dir }).catch(() => {});
    const out: string[] = [];
    const code = await main(['reenact', dir, '--source', fixture('cap12_2s.mp4'), '--groups', 'head,expression', '--after-end', 'hold', '--json'], { ...quiet, out: (l: string) => out.push(l) });
    expect(code).toBe(0);
    // cap12_2s (2 s) is shorter than franck_3s (3 s): the summary says where it ends.
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ transfer: { afterEnd: 'hold', easeFrames: 12 }, sourceEndsAtTargetFrame: 48 });
    const { project } = await readProjectFile(dir);
    const edits = parseEdits(project.edits);
    expect(edits.transfer.enabled).toBe(true);
    expect(edits.transfer.afterEnd).toBe('hold');
    expect(edits.transfer.groups.gaze.enabled).toBe(false);
    const perf = await loadPerformance(dir, project);
    expect(perf.transferred).toBe(true);
    // Expression now follows the source (cap12), not the target: the mouth curves differ.
    const jaw = (f: number) => paramsAt(perf, f).expression[0]!;
    const trackedJaw = (f: number) => perf.tracked[f]!.expression[0]!;
    let diff = 0;
    for (let f = 0; f < 48; f++) diff += Math.abs(jaw(f) - trackedJaw(f));
    expect(diff / 48).toBeGreaterThan(0.01);
    // Gaze was not transferred: it stays the target's own.
    expect(paramsAt(perf, 30).gazeLeft.yaw).toBeCloseTo(perf.tracked[30]!.gazeLeft.yaw, 3);
  });

  it('explains what is missing', async () => {
    const c = { out: [] as string[], err: [] as string[] };
    const io = { out: (l: string) => c.out.push(l), err: (l: string) => c.err.push(l) };
    expect(await main(['reenact', dir], io)).toBe(2);
    expect(await main(['reenact', dir, '--source', fixture('cap12_2s.mp4'), '--after-end', 'bounce'], io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--after-end must be target, hold, loop, ease/);
    expect(await main(['reenact', join(root, 'nope'), '--source', fixture('cap12_2s.mp4')], io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/PROJECT_NOT_FOUND/);
  });
});
