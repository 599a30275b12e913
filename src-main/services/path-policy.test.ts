import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from './index.js';
import { studioClient } from './studio-client.js';
import { emptyEdits } from '../../src-shared/timeline/index.js';

let root: string;
let dir: string;
let studio: Studio;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'policy-'));
  dir = join(root, 'p');
  // Made by another session, then closed: on disk, not open in the session under test.
  const maker = createStudio({ mode: 'browser' });
  await studioClient(maker).call('project.create', { dir });
  await maker.dispose();
  studio = createStudio({ mode: 'browser' });
});
afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

const snapshotOf = async (d: string) => (await fs.readdir(d, { recursive: true })).sort().join('\n') + (await fs.readFile(join(d, 'project.json'), 'utf8'));

describe('path policy: a channel acts only on a project open in this session (issue 15)', () => {
  it('refuses every project channel with PROJECT_NOT_OPEN until the project is opened, and changes nothing', async () => {
    const client = studioClient(studio);
    const before = await snapshotOf(dir);
    const refused = [
      client.call('timeline.save', { dir, edits: emptyEdits() }),
      client.call('timeline.load', { dir }),
      client.call('tracking.data', { dir, role: 'target' }),
      client.call('training.status', { dir }),
      client.call('training.snapshot', { dir, name: 'x' }),
      client.call('inference.frame', { dir, frame: 0 }),
      client.call('media.frame', { dir, role: 'target', frame: 0 }),
      client.startJob('training.start', { dir, profile: 'tiny', steps: 1 }),
      client.startJob('tracking.start', { dir, role: 'target' }),
      client.startJob('render.start', { dir, out: join(root, 'out.mp4') }),
      client.startJob('evaluation.start', { dir }),
      client.startJob('project.importVideo', { dir, role: 'target', path: join(root, 'x.mp4') }),
    ];
    for (const r of refused) await expect(r).rejects.toMatchObject({ code: 'PROJECT_NOT_OPEN', message: expect.stringContaining('open it first') });
    expect(await snapshotOf(dir)).toBe(before);
    // A folder's summary and opening it are allowed; then the channels work.
    expect((await client.call('project.info', { dir })).project.media.target).toBeNull();
    await client.call('project.open', { dir });
    expect((await client.call('timeline.load', { dir })).edits).toBeDefined();
    await client.call('project.close', { dir });
    await expect(client.call('timeline.load', { dir })).rejects.toMatchObject({ code: 'PROJECT_NOT_OPEN' });
  });
});
