import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { hostState } from './host-state.js';
import { showTab, createProjectWithTarget } from './studio-helpers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: join(HERE, 'artifacts', `training-${name}.png`), fullPage: true });

async function shownStep(page: Page): Promise<number> {
  const t = (await page.getByLabel('Current training step').textContent()) ?? '';
  const m = /Step (\d+)/.exec(t);
  return m ? Number(m[1]) : -1;
}

test('train the tiny profile from the dashboard: live losses, pause, resume from the checkpoint, synthesized frame', async ({ page }) => {
  test.setTimeout(12 * 60_000);
  const { url, workDir } = hostState();
  await createProjectWithTarget(page, url, workDir, 'e2e-training');

  await showTab(page, 'Training');
  const training = page.getByRole('region', { name: 'Training' });
  await expect(training.getByRole('button', { name: 'Start training' })).toBeDisabled();
  await expect(training.getByRole('img', { name: /Loss chart: 0 points/ })).toContainText('No training steps yet');

  await showTab(page, 'Media');
  const tracking = page.getByRole('region', { name: 'Tracking' });
  await tracking.getByRole('button', { name: 'Track target' }).click();
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 72 of 72 frames, [1-9]\d* with a face/, { timeout: 240_000 });

  await showTab(page, 'Training');
  // Tiny profile, 400 steps.
  // No GPU here: the suggested (and preselected) profile is cpu, and the panel says why (issue 16, item 9).
  await expect(training.getByLabel('Profile suggestion')).toContainText(/Suggested: cpu\. No GPU backend loaded/);
  await expect(training.getByRole('radio', { name: /^cpu/ })).toBeChecked();
  await training.getByRole('radio', { name: /^tiny/ }).check();
  await training.getByRole('spinbutton', { name: 'Total steps' }).fill('400');
  await training.getByRole('button', { name: 'Start training' }).click();
  await expect(training.getByRole('button', { name: 'Pause training' })).toBeVisible();

  // Live losses reach the chart; the tiny profile finishes 400 steps quickly.
  const chart = training.getByRole('img', { name: /Loss chart/ });
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 180_000 }).toBeGreaterThan(20);
  await expect(training.getByLabel('Training backend and data')).toContainText(/Backend: \S+/);
  await expect(training.getByRole('status').filter({ hasText: 'Training reached step 400' })).toBeVisible({ timeout: 240_000 });
  await expect(training.getByLabel('Training backend and data')).toContainText('latest at step 400');
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(390);
  await expect(training.getByRole('img', { name: /Validation chart: [1-9]/ })).toBeVisible();
  await expect(training.getByRole('img', { name: /Latest training sample/ })).toBeVisible();

  // The synthesized panel shows the model's output at the playhead.
  const synth = page.getByRole('region', { name: 'Synthesized frame' });
  await expect(synth.getByRole('img', { name: /synthesized frame 0 \(composite, model step 400\)/ })).toBeVisible({ timeout: 120_000 });
  await synth.getByRole('button', { name: 'crop' }).click();
  await expect(synth.getByRole('img', { name: /synthesized frame 0 \(crop/ })).toBeVisible();
  await shot(page, 'trained');

  // franck_3s has no sound: the render dialog's default audio is one that works, and the
  // first render with the defaults succeeds (issue 16, item 2).
  await showTab(page, 'Render');
  const render = page.getByRole('region', { name: 'Render' });
  await render.getByRole('button', { name: 'Render…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Render final cut' });
  await expect(dialog.getByRole('combobox', { name: 'Audio' })).toContainText('No audio');
  await dialog.getByRole('button', { name: 'Render', exact: true }).click();
  const rendered = render.getByRole('status', { name: 'Render result' });
  await expect(rendered).toContainText('Rendered 72 frames', { timeout: 300_000 });
  await expect(rendered).toContainText('audio: none');

  await showTab(page, 'Training');
  // A longer run resumes from step 400, not from 0.
  await training.getByRole('spinbutton', { name: 'Total steps' }).fill('200000');
  await training.getByRole('button', { name: 'Resume training' }).click();
  await expect(training.getByRole('button', { name: 'Pause training' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Jobs' })).toContainText('Train target actor');
  await expect(training.getByLabel('Training progress text')).toContainText('ETA');
  await expect.poll(() => shownStep(page), { timeout: 180_000 }).toBeGreaterThan(420);

  // Pause (= cancel): the job checkpoints and stops.
  await training.getByRole('button', { name: 'Pause training' }).click();
  const paused = training.getByRole('status').filter({ hasText: /Paused at step \d+/ });
  await expect(paused).toBeVisible({ timeout: 150_000 });
  const pausedAt = Number(/Paused at step (\d+)/.exec((await paused.textContent()) ?? '')![1]);
  expect(pausedAt).toBeGreaterThan(420);
  await expect(training.getByRole('button', { name: 'Resume training' })).toBeVisible();
  await expect(training.getByLabel('Training backend and data')).toContainText(`latest at step ${pausedAt}`);
  // Stopped: the job has ended (it left the jobs panel), so no further step can arrive.
  await expect(page.getByRole('group', { name: /^Job Train target actor/ })).toHaveCount(0);
  expect(await shownStep(page)).toBe(pausedAt);
  await shot(page, 'paused');

  // Resume continues from the pause checkpoint.
  await training.getByRole('button', { name: 'Resume training' }).click();
  await expect(training.getByRole('button', { name: 'Pause training' })).toBeVisible();
  await expect.poll(() => shownStep(page), { timeout: 180_000 }).not.toBe(pausedAt);
  expect(await shownStep(page)).toBeGreaterThan(pausedAt);

  // Reloading the page re-attaches to the running job.
  await page.reload(); // the page reopens its project by itself
  await expect(page.getByLabel('Current project')).toHaveText('e2e-training');
  await expect(training.getByRole('button', { name: 'Pause training' })).toBeVisible({ timeout: 30_000 });
  await expect(training.getByRole('status').filter({ hasText: 'Re-attached' })).toBeVisible();
  await expect.poll(() => shownStep(page), { timeout: 60_000 }).toBeGreaterThan(pausedAt);
  // "Total steps" after the reload is the running job's total, never below what is trained (issue 16 item 7).
  expect(Number(await training.getByRole('spinbutton', { name: 'Total steps' }).inputValue())).toBe(200000);
  await shot(page, 'resumed');

  // Snapshot of the latest checkpoint is listed.
  await training.getByRole('button', { name: 'Pause training' }).click();
  await expect(training.getByRole('button', { name: 'Resume training' })).toBeVisible({ timeout: 150_000 });
  await training.getByRole('textbox', { name: 'Snapshot name' }).fill('first look');
  await training.getByRole('button', { name: 'Take snapshot' }).click();
  await expect(training.getByRole('listitem', { name: 'Snapshot first look' })).toContainText(/step \d+/);
  await shot(page, 'snapshot');
});
