/**
 * A host on another machine, as a user runs it (issue 17, point 3): `portrait host --host <addr>
 * --allow-remote --projects-root <dir>` in its own process, on an address of this machine that
 * is not loopback (its network interface; a second loopback address where it has none), driven
 * over that address through track -> train (tiny) -> render, and the render played back over
 * HTTP as the browser studio plays it.
 */
import { promises as fs } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortraitClient } from '../../src-shared/ipc/client.js';
import { startHostProcess, type HostProcess } from '../../test/helpers/host-process.js';
import { fixture } from '../../test/helpers/paths.js';
import { probeMedia } from '../services/media/probe.js';
import { isLoopback } from './auth.js';

/** The first IPv4 address of a real interface; 127.0.0.2 (still a separate address) without one. */
function remoteAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.2';
}

const address = remoteAddress();
let root: string;
let host: HostProcess;
let client: PortraitClient;
let close: () => void;

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(join(tmpdir(), 'remote-host-')));
  await fs.mkdir(join(root, 'footage'));
  await fs.copyFile(fixture('with_audio.mp4'), join(root, 'footage', 'actor.mp4'));
  // The built studio page may not exist yet when unit tests run (npm test builds it for e2e later).
  await fs.mkdir(join(root, 'www'));
  await fs.writeFile(join(root, 'www', 'index.html'), '<!doctype html><title>Portrait Studio</title>');
  host = await startHostProcess(['--host', address, '--allow-remote', '--projects-root', root], { PORTRAIT_RENDERER_DIR: join(root, 'www') });
  ({ client, close } = await host.connect(address));
});
afterAll(async () => {
  close?.();
  const code = await host?.stop();
  // A clean stop: jobs cancelled, locks released, exit 0.
  expect(code).toBe(0);
  await fs.rm(root, { recursive: true, force: true });
});

describe(`a studio host on ${address} (${isLoopback(address) ? 'second loopback address' : 'network interface'})`, () => {
  it('prints its own address, not loopback, in the URL it hands out', () => {
    expect(host.url.startsWith(`http://${address}:${host.port}/?token=`)).toBe(true);
  });

  it('serves the studio page over that address', async () => {
    const res = await fetch(`http://${address}:${host.port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Portrait Studio</title>');
  });

  it('tracks, trains and renders a project under its projects root, and plays the render back', async () => {
    const dir = join(root, 'interview');
    await client.call('project.create', { dir });
    await (await client.startJob('project.importVideo', { dir, role: 'target', path: join(root, 'footage', 'actor.mp4') })).result;
    const tracked = await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
    expect(tracked.frames).toBe(24);
    const trained = await (await client.startJob('training.start', { dir, profile: 'tiny', steps: 20, backend: 'wasm' })).result;
    expect(trained.step).toBe(20);
    const out = join(dir, 'renders', 'cut.mp4');
    const r = await (await client.startJob('render.start', { dir, out })).result;
    expect(r).toMatchObject({ frames: 24, audio: 'target' });
    expect(await probeMedia(out)).toMatchObject({ frameCount: 24, fps: 24 });

    // The browser studio plays it through /render-file with the session token, by byte ranges.
    const url = `http://${address}:${host.port}/render-file?token=${host.token}&dir=${encodeURIComponent(dir)}&file=${encodeURIComponent(out)}`;
    const res = await fetch(url, { headers: { range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    const head = Buffer.from(await res.arrayBuffer());
    expect(head.equals((await fs.readFile(out)).subarray(0, 100))).toBe(true);
  }, 600_000);

  it('refuses a folder outside its projects root with a message that says why', async () => {
    const outside = await fs.mkdtemp(join(tmpdir(), 'remote-outside-'));
    try {
      await expect(client.call('project.create', { dir: join(outside, 'p') })).rejects.toMatchObject({ message: expect.stringMatching(/projects? root|outside/i) });
      expect(await fs.readdir(outside)).toEqual([]);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });
});
