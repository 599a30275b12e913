import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../services/index.js';
import { FileRecentBackend } from '../services/project/recent-store.js';
import { recordRender } from '../services/render/render-history.js';
import { startHost, type RunningHost } from './host-server.js';
import { byteRange } from './render-file.js';

let studio: Studio;
let host: RunningHost;
let root: string;
let dir: string;
let video: string;
const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'render-file-'));
  await fs.mkdir(join(root, 'www'));
  await fs.writeFile(join(root, 'www', 'index.html'), '<!doctype html><title>studio</title>');
  studio = createStudio({ mode: 'browser', recentBackend: new FileRecentBackend(join(root, 'recent.json')) });
  host = await startHost({ studio, staticDir: join(root, 'www'), port: 0 });
  dir = join(root, 'p');
  await studio.registry.dispatch('project.create', { dir });
  video = join(dir, 'renders', 'cut.mp4');
  await fs.mkdir(join(dir, 'renders'), { recursive: true });
  await fs.writeFile(video, bytes);
  await recordRender(dir, { codec: 'h264', layout: 'full' }, { file: video, frames: 24, fps: 24, width: 360, height: 288, audio: 'none', seconds: 1, checkpointStep: 30 });
});
afterAll(async () => {
  await host.close();
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

const get = (q: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${host.port}/render-file?${new URLSearchParams({ token: host.token, ...q })}`, { headers });

describe('render player route (issue 16 item 16)', () => {
  it('serves a recorded render whole and by byte range', async () => {
    const whole = await get({ dir, file: video });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await get({ dir, file: video }, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/5000');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    expect((await get({ dir, file: video }, { range: 'bytes=9000-' })).status).toBe(416);
  });

  it('refuses without the token, a file the studio did not render, and a project not open here', async () => {
    const noToken = await fetch(`http://127.0.0.1:${host.port}/render-file?${new URLSearchParams({ dir, file: video })}`);
    expect(noToken.status).toBe(401);
    expect((await get({ dir, file: join(dir, 'project.json') })).status).toBe(404);
    expect((await get({ dir, file: join(dir, 'renders', '..', 'project.json') })).status).toBe(404);
    expect((await get({ dir: join(root, 'other'), file: video })).status).toBe(403);
    expect((await get({ dir })).status).toBe(400);
  });

  it('lists renders newest first with their size, and a gone file as missing', async () => {
    const second = join(dir, 'renders', 'second.mp4');
    await fs.writeFile(second, 'abc');
    await recordRender(dir, { codec: 'h264', layout: 'compare' }, { file: second, frames: 2, fps: 24, width: 10, height: 10, audio: 'none', seconds: 1, checkpointStep: 30 });
    const list = (await studio.registry.dispatch('render.list', { dir })) as { ok: boolean; value: Array<{ file: string; size: number | null; layout: string }> };
    expect(list.ok).toBe(true);
    expect(list.value.map((r) => [r.file, r.size, r.layout])).toEqual([[second, 3, 'compare'], [video, 5000, 'full']]);
    await fs.rm(second);
    const after = (await studio.registry.dispatch('render.list', { dir })) as { value: Array<{ size: number | null }> };
    expect(after.value[0]!.size).toBeNull();
  });
});

describe('byteRange', () => {
  it('reads the forms players send', () => {
    expect(byteRange(undefined, 10)).toBeNull();
    expect(byteRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(byteRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(byteRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(byteRange('bytes=10-', 10)).toBe('bad');
    expect(byteRange('bytes=4-2', 10)).toBe('bad');
    expect(byteRange('items=0-1', 10)).toBe('bad');
  });
});
