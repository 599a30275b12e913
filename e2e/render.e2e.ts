import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { hostState } from './host-state.js';
import { showTab, createProject, importTarget } from './studio-helpers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const FIXTURES = join(HERE, '..', 'test', 'fixtures');
const shot = (page: Page, name: string) => page.screenshot({ path: join(HERE, 'artifacts', `render-${name}.png`), fullPage: true });

test('render the final cut with audio from the render dialog; an existing file needs overwrite; re-tracking asks first; a replaced target keeps nothing of the old one', async ({ page }) => {
  test.setTimeout(12 * 60_000);
  const { url, workDir } = hostState();
  const dir = join(workDir, 'e2e-render');
  const out = join(dir, 'renders', 'cut.mp4');
  await createProject(page, url, workDir, 'e2e-render');
  await importTarget(page, join(FIXTURES, 'with_audio.mp4'), 24);
  const target = page.getByRole('region', { name: 'target video' });

  await showTab(page, 'Render');
  const render = page.getByRole('region', { name: 'Render' });
  await expect(render.getByRole('button', { name: 'Render…' })).toBeDisabled();
  await expect(render).toContainText('Train the actor first');

  await showTab(page, 'Media');
  const tracking = page.getByRole('region', { name: 'Tracking' });
  await tracking.getByRole('button', { name: 'Track target' }).click();
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 24 of 24 frames, [1-9]\d* with a face/, { timeout: 180_000 });
  // Re-tracking a finished video asks first (issue 16, item 15): keeping changes nothing; confirming redoes it.
  await tracking.getByRole('button', { name: 'Re-track target' }).click();
  const ask = page.getByRole('dialog', { name: 'Re-track the target video?' });
  await ask.getByRole('button', { name: 'Keep the tracking' }).click();
  await expect(ask).toBeHidden();
  await expect(tracking.getByRole('progressbar', { name: 'target tracking progress' })).toHaveCount(0);
  await tracking.getByRole('button', { name: 'Re-track target' }).click();
  await ask.getByRole('button', { name: 'Re-track', exact: true }).click();
  await expect(ask).toBeHidden(); // the same update clears the first run's note
  await expect(tracking.getByText(/\d+ of 24 frames have a face\./)).toBeVisible({ timeout: 180_000 });
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 24 of 24 frames/);

  // A small trained tiny model.
  await showTab(page, 'Training');
  const training = page.getByRole('region', { name: 'Training' });
  await training.getByRole('radio', { name: /^tiny/ }).check();
  await training.getByRole('spinbutton', { name: 'Total steps' }).fill('60');
  await training.getByRole('button', { name: 'Start training' }).click();
  await expect(training.getByRole('status').filter({ hasText: 'Training reached step 60' })).toBeVisible({ timeout: 240_000 });

  const renderOnce = async (overwrite: boolean | null) => {
    await showTab(page, 'Render');
    await render.getByRole('button', { name: 'Render…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Render final cut' });
    // The default is <project>/renders/<name>.mp4; the dialog then keeps what the user typed.
    await expect(dialog.getByRole('textbox', { name: 'Output file' })).toHaveValue(overwrite === null ? join(dir, 'renders', 'e2e-render.mp4') : out);
    await dialog.getByRole('textbox', { name: 'Output file' }).fill(out);
    await dialog.getByRole('radio', { name: /Whole video \(0–23\)/ }).check();
    await expect(dialog.getByRole('combobox', { name: 'Audio' })).toContainText('Target video’s audio');
    if (overwrite) await dialog.getByRole('checkbox', { name: 'Replace an existing file' }).check();
    await dialog.getByRole('button', { name: 'Render', exact: true }).click();
    await expect(dialog).toBeHidden();
  };

  await renderOnce(null);
  const result = render.getByRole('status', { name: 'Render result' });
  await expect(result).toContainText(out, { timeout: 300_000 });
  await expect(result).toContainText('Rendered 24 frames');
  await expect(result).toContainText('audio: target');
  expect(existsSync(out) && statSync(out).size > 0).toBe(true);
  await shot(page, 'done');

  // The renders list shows it with its size and plays it in the studio (issue 16 item 16).
  const renders = render.getByRole('list', { name: 'Rendered files' });
  const item = renders.getByRole('listitem', { name: 'Render cut.mp4' });
  await expect(item.getByLabel('cut.mp4 details')).toContainText(/\d+ KB · .* · 24 frames · full/);
  await item.getByRole('button', { name: 'Play cut.mp4' }).click();
  const player = item.getByLabel('Player: cut.mp4');
  await expect.poll(() => player.evaluate((v: HTMLVideoElement) => (v.error ? `error ${v.error.code}` : v.readyState)), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  expect(await player.evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(1, 1);
  await item.getByRole('button', { name: 'Close player for cut.mp4' }).click();

  // Same path again without overwrite: a clear message, the file is kept.
  await render.getByRole('button', { name: 'Close' }).click();
  await renderOnce(false);
  await expect(render.getByRole('alert')).toContainText('Replace an existing file', { timeout: 60_000 });
  expect(existsSync(out)).toBe(true);
  await shot(page, 'exists');

  // Replacing the target with another video (issue 16, item 1): its tracking and checkpoints
  // go aside with a notice, nothing claims the new video is tracked or trained; importing the
  // first video again brings both back.
  await showTab(page, 'Media');
  await target.getByLabel('Target video path').fill(join(FIXTURES, 'franck_3s.mp4'));
  await target.getByRole('button', { name: 'Replace target video' }).click();
  const notice = target.getByRole('alert', { name: 'target video replaced' });
  await expect(notice).toContainText(/moved to replaced\/target-[0-9a-f]{12}/);
  await expect(target.getByRole('table', { name: 'Video properties' })).toContainText('72 frames');
  await expect(tracking.getByLabel('Target tracking status')).toContainText('Not tracked yet', { timeout: 60_000 });
  await showTab(page, 'Render');
  await expect(render.getByRole('button', { name: 'Render…' })).toBeDisabled();
  await shot(page, 'replaced');
  await showTab(page, 'Media');
  await target.getByLabel('Target video path').fill(join(FIXTURES, 'with_audio.mp4'));
  await target.getByRole('button', { name: 'Replace target video' }).click();
  await expect(notice).toContainText('came back');
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 24 of 24 frames/, { timeout: 60_000 });
  await showTab(page, 'Render');
  await expect(render.getByRole('button', { name: 'Render…' })).toBeEnabled();
});
