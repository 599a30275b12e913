import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { hostState } from './host-state.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURES = join(HERE, '..', 'test', 'fixtures');

test('create a project, import a real video, see its probe, reopen it from recents', async ({ page }) => {
  const { url, workDir } = hostState();
  const dir = join(workDir, 'e2e-project');
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'New project' })).toBeVisible();

  await page.getByLabel('New project folder').fill(dir);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByLabel('Current project')).toHaveText('e2e-project');

  const target = page.getByRole('region', { name: 'target video' });
  await target.getByLabel('Target video path').fill(join(FIXTURES, 'with_audio.mp4'));
  await target.getByRole('button', { name: 'Import target video' }).click();
  const props = target.getByRole('table', { name: 'Video properties' });
  await expect(props).toContainText('360x288');
  await expect(props).toContainText('24 fps');
  await expect(props).toContainText('24 frames');
  await expect(props).toContainText('aac 44100 Hz, 1 ch');

  // A bad input shows a readable error with a next step, and loses nothing.
  const source = page.getByRole('region', { name: 'source video' });
  await source.getByLabel('Source video path').fill(join(FIXTURES, 'not_a_video.mp4'));
  await source.getByRole('button', { name: 'Import source video' }).click();
  await expect(source.getByRole('alert')).toContainText('not a video');
  await expect(props).toContainText('360x288');

  // A still image is refused as one, not imported as a one-frame video (issue 16 item 8).
  const still = join(dir, 'portrait.png');
  await page.screenshot({ path: still, clip: { x: 0, y: 0, width: 64, height: 64 } });
  await source.getByLabel('Source video path').fill(still);
  await source.getByRole('button', { name: 'Import source video' }).click();
  await expect(source.getByRole('alert')).toContainText('is a still image');
  await expect(source.getByText('No source video yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Close project' }).click();
  const recent = page.getByRole('list', { name: 'Recent projects' });
  await expect(recent).toContainText('e2e-project');
  await recent.getByRole('button', { name: /e2e-project/ }).click();
  await expect(page.getByLabel('Current project')).toHaveText('e2e-project');
  await expect(page.getByRole('region', { name: 'target video' }).getByRole('table', { name: 'Video properties' })).toContainText('24 frames');
  await page.screenshot({ path: join(HERE, 'artifacts', 'project-reopened.png') });
});

test('the host refuses a page without the token', async ({ page }) => {
  const { port } = hostState();
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page.getByRole('alert')).toContainText(/token|connect/i);
});

test('the host refuses a message that fails its schema', async ({ page }) => {
  const { url, port, token } = hostState();
  await page.goto(url);
  const reply = await page.evaluate(
    ({ port, token }) =>
      new Promise<unknown>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'request', id: 1, channel: 'project.create', payload: { dir: 5 } }));
        ws.onmessage = (e) => {
          const m = JSON.parse(String(e.data));
          if (m.type === 'reply') resolve(m);
        };
      }),
    { port, token },
  );
  expect(reply).toMatchObject({ id: 1, ok: false, error: { code: 'BAD_REQUEST' } });
});
