import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PortraitClient } from '../../src-shared/ipc/client.js';
import { WebSocketTransport, type SocketLike } from '../../src-shared/ipc/ws-transport.js';
import { createStudio, type Studio } from '../services/index.js';
import { FileRecentBackend } from '../services/project/recent-store.js';
import { fixture } from '../../test/helpers/paths.js';
import { startHost, type RunningHost } from './host-server.js';
import { originAllowed } from './auth.js';

let studio: Studio;
let host: RunningHost;
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'host-'));
  await fs.mkdir(join(root, 'www'));
  await fs.writeFile(join(root, 'www', 'index.html'), '<!doctype html><title>studio</title>');
  studio = createStudio({ mode: 'browser', recentBackend: new FileRecentBackend(join(root, 'recent.json')) });
  host = await startHost({ studio, staticDir: join(root, 'www'), port: 0 });
});
afterAll(async () => {
  await host.close();
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

function open(query: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; status: number | null; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, { headers });
    ws.on('open', () => resolve({ ws, status: 101, body: '' }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ ws, status: res.statusCode ?? null, body }));
    });
  });
}

async function client(): Promise<{ client: PortraitClient; ws: WebSocket }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
  const transport = new WebSocketTransport(ws as unknown as SocketLike);
  await transport.ready();
  return { client: new PortraitClient(transport), ws };
}

describe('studio host', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=`));
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the UI with a content security policy', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const escape = await fetch(`http://127.0.0.1:${host.port}/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toMatch(/root:/);
  });

  it('does not follow a symbolic link out of the UI folder', async () => {
    await fs.writeFile(join(root, 'secret.txt'), 'the secret');
    await fs.symlink(join(root, 'secret.txt'), join(root, 'www', 'leak.txt'));
    const r = await fetch(`http://127.0.0.1:${host.port}/leak.txt`);
    expect(await r.text()).not.toContain('the secret');
  });

  it('refuses a client without the token, with a clear error', async () => {
    const r = await open('');
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(JSON.parse(r.body).message).toMatch(/token/);
  });

  it('refuses a wrong token', async () => {
    expect((await open('?token=' + 'x'.repeat(host.token.length))).status).toBe(401);
  });

  it('refuses a page from another origin even with the token', async () => {
    const r = await open(`?token=${host.token}`, { Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
  });

  it('admits the right token from its own origin and answers the contract', async () => {
    const r = await open(`?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port}` });
    expect(r.status).toBe(101);
    r.ws.close();
    const { client: c, ws } = await client();
    const info = await c.call('app.info', {});
    expect(info.mode).toBe('browser');
    ws.close();
  });

  it('answers a message that fails its schema with a typed error, and keeps serving', async () => {
    const { ws } = await client();
    const replies: unknown[] = [];
    // Four requests, four replies: wait for the fourth (an event), not for a time.
    const four = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        replies.push(JSON.parse(String(d)));
        if (replies.length === 4) resolve();
      }),
    );
    ws.send(JSON.stringify({ type: 'request', id: 7, channel: 'media.probe', payload: { path: 12 } }));
    ws.send('this is not json');
    ws.send(JSON.stringify({ type: 'request', id: 'x', channel: 'app.info' }));
    ws.send(JSON.stringify({ type: 'request', id: 8, channel: 'app.info', payload: {} }));
    await four;
    expect(replies).toContainEqual(expect.objectContaining({ id: 7, ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST' }) }));
    expect(replies.filter((r) => (r as { ok: boolean }).ok === false)).toHaveLength(3);
    expect(replies).toContainEqual(expect.objectContaining({ id: 8, ok: true }));
    ws.close();
  });

  it('runs a job over the socket with progress and result', async () => {
    const { client: c, ws } = await client();
    const dir = join(root, 'proj');
    await c.call('project.create', { dir });
    const stages: string[] = [];
    const job = await c.startJob('project.importVideo', { dir, role: 'target', path: fixture('franck_3s.mp4') }, (p) => stages.push(p.stage));
    const ref = await job.result;
    expect(ref.probe.frameCount).toBe(72);
    expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stages).toContain('Imported');
    const info = await c.call('project.info', { dir });
    expect(info.project.media.target?.sha256).toBe(ref.sha256);
    const failing = await c.startJob('project.importVideo', { dir, role: 'source', path: fixture('not_a_video.mp4') });
    await expect(failing.result).rejects.toMatchObject({ code: 'NOT_A_VIDEO' });
    ws.close();
  });

  it('a host reachable from the network must name its project folders', async () => {
    await expect(startHost({ studio, staticDir: root, host: '0.0.0.0', port: 0, allowRemote: true })).rejects.toThrow(/--projects-root/);
  });

  it('--projects-root confines every path a client names, symbolic links resolved', async () => {
    const projects = join(root, 'projects');
    await fs.mkdir(projects);
    await fs.symlink(root, join(projects, 'escape'));
    const confined = await startHost({ studio, staticDir: join(root, 'www'), port: 0, projectsRoots: [projects] });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${confined.port}/ws?token=${confined.token}`);
      const transport = new WebSocketTransport(ws as unknown as SocketLike);
      await transport.ready();
      const c = new PortraitClient(transport);
      await expect(c.call('project.create', { dir: join(root, 'outside-proj') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(c.call('project.create', { dir: join(projects, 'escape', 'sneaky') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(c.call('media.probe', { path: fixture('franck_3s.mp4') })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      const made = await c.call('project.create', { dir: join(projects, 'inside') });
      expect(made.project.name).toBe('inside');
      await c.call('project.close', { dir: join(projects, 'inside') });
      await expect(fs.access(join(root, 'outside-proj'))).rejects.toThrow();
      await expect(fs.access(join(root, 'sneaky'))).rejects.toThrow();
      ws.close();
    } finally {
      await confined.close();
    }
  });

  it('will not bind beyond loopback without --allow-remote', async () => {
    await expect(startHost({ studio, staticDir: root, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/allow-remote/) });
  });
});

describe('originAllowed', () => {
  it('accepts loopback origins on the same port only', () => {
    expect(originAllowed('http://localhost:7860', 7860, '127.0.0.1', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:7860', 7860, '127.0.0.1', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:9999', 7860, '127.0.0.1', [])).toBe(false);
    expect(originAllowed('http://attacker.test:7860', 7860, '127.0.0.1', [])).toBe(false);
    expect(originAllowed('null', 7860, '127.0.0.1', [])).toBe(false);
    expect(originAllowed(undefined, 7860, '127.0.0.1', [])).toBe(true);
    expect(originAllowed('http://gpu-box:7860', 7860, 'gpu-box', [])).toBe(true);
  });
});
