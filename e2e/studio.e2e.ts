import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hostState } from './host-state.js';
import { FIXTURES, colorPixels, createProjectWithTarget, goToFrame, screenshotter, showTab, createProject, importTarget } from './studio-helpers.js';

const shot = screenshotter('studio');

test('track a real video, key head yaw, see the conditioning change, undo/redo, and keep the edit over a reload', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  const { url, workDir } = hostState();
  const dir = await createProjectWithTarget(page, url, workDir, 'e2e-studio');

  // Before tracking: clearly marked empty states, never fake data.
  await expect(page.getByRole('region', { name: 'Synthesized frame' })).toContainText('Train the actor first');
  await expect(page.getByRole('region', { name: 'Color conditioning' })).toContainText('Track the target');

  const tracking = page.getByRole('region', { name: 'Tracking' });
  await tracking.getByRole('button', { name: 'Track target' }).click();
  await expect(tracking.getByLabel('target tracking progress')).toBeVisible();
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 72 of 72 frames, [1-9]\d* with a face/, { timeout: 180_000 });
  await expect(page.getByLabel('Curves status')).toContainText('Tracked curves');
  await expect(page.getByRole('img', { name: /target video frame/ })).toBeVisible();
  await shot(page, 'tracked');

  // Shortcut help lists the actions.
  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Play / pause');
  await expect(help).toContainText('Undo');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.getByRole('button', { name: 'Select Head yaw' }).click();
  await expect(page.getByRole('button', { name: 'Select Head yaw' })).toHaveAttribute('aria-pressed', 'true');

  await showTab(page, 'Key');
  await goToFrame(page, 20);
  const yawValue = page.getByLabel('Head yaw value');
  const yawBefore = await yawValue.textContent();
  const before = await colorPixels(page, 20);

  // Keys at 10 and 30 hold the curve; the key at 20 lifts yaw by 15 degrees between them.
  for (const f of [10, 30, 20]) {
    await goToFrame(page, f);
    await page.keyboard.press('k');
    await expect(page.getByRole('button', { name: `Head yaw key at frame ${f}` })).toBeVisible();
  }
  const value = page.getByRole('textbox', { name: /Key value/ });
  await value.fill('15');
  await value.press('Enter');
  await value.blur();
  await expect(yawValue).not.toHaveText(yawBefore ?? '');
  // The key says it is an offset and shows the absolute value beside it (issue 16, item 4).
  const meaning = await page.getByLabel('Key value meaning').textContent();
  expect(meaning).toMatch(/^offset from the tracked curve \(-?[\d.]+°? here\)$/);
  const base = Number(/\((-?[\d.]+)/.exec(meaning ?? '')![1]);
  expect(Number(await page.getByRole('textbox', { name: /Absolute value/ }).inputValue()) - base).toBeCloseTo(15, 2);
  const after = await colorPixels(page, 20);
  expect(after).not.toBe(before);
  await shot(page, 'edited');

  await page.keyboard.press('Control+z');
  await expect.poll(() => colorPixels(page, 20)).toBe(before);
  await expect(yawValue).toHaveText(yawBefore ?? '');
  await page.keyboard.press('Control+Shift+Z');
  await expect.poll(() => colorPixels(page, 20)).toBe(after);
  const yawAfter = await yawValue.textContent();

  await expect(page.getByLabel(/Save status/)).toHaveText('All changes saved');

  // Reload: the page reopens its project (issue 16, item 7); the edit is still there and still drives the preview.
  await page.reload();
  await expect(page.getByLabel('Current project')).toHaveText('e2e-studio');
  await expect(page.getByLabel('Curves status')).toContainText('Tracked curves');
  await page.getByRole('button', { name: 'Select Head yaw' }).click();
  await showTab(page, 'Key');
  await page.getByRole('button', { name: 'Head yaw key at frame 20' }).click();
  await expect(page.getByRole('textbox', { name: /Key value/ })).toHaveValue('15');
  await goToFrame(page, 20);
  await expect(yawValue).toHaveText(yawAfter ?? '');
  expect(await colorPixels(page, 20)).toBe(after);
  await shot(page, 'reopened');
});

test('curve editor: double-click adds a key, drag moves it, box-select and Delete remove it, undo restores; playback keys', async ({ page }) => {
  const { url, workDir } = hostState();
  await createProject(page, url, workDir, 'e2e-curves');
  await importTarget(page, join(FIXTURES, 'with_audio.mp4'), 24);
  await expect(page.getByLabel('Curves status')).toContainText('No tracked curves yet');
  await showTab(page, 'Key'); // the key list lives in the inspector's Key tab

  await page.getByRole('button', { name: 'Select Head pitch' }).click();
  const curves = page.getByRole('application', { name: 'Curve editor' });
  await curves.scrollIntoViewIfNeeded();
  const box = (await curves.boundingBox())!;
  const start = Number(await curves.getAttribute('data-view-start'));
  const ppf = Number(await curves.getAttribute('data-px-per-frame'));
  // Exactly on frame 12, so the key lands under the pointer.
  const cx = box.x + (12 - start) * ppf;
  const cy = box.y + box.height / 2;
  await page.mouse.dblclick(cx, cy);
  const keys = page.getByRole('navigation', { name: 'Keys' }).getByRole('button');
  await expect(keys).toHaveCount(1);
  const first = await keys.first().getAttribute('aria-label');
  const f0 = Number(/frame (\d+)/.exec(first ?? '')![1]);

  // Drag the key right by ~3 frames' worth of pixels.
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 3 * ppf, cy - 20, { steps: 5 });
  await page.mouse.up();
  await expect(keys.first()).not.toHaveAttribute('aria-label', first!);
  const f1 = Number(/frame (\d+)/.exec((await keys.first().getAttribute('aria-label')) ?? '')![1]);
  expect(f0).toBe(12);
  expect(f1).toBe(15);

  // Click empty space: deselects; box-select over the whole editor: selects it again.
  await page.mouse.click(box.x + 4, box.y + 4);
  await expect(keys.first()).toHaveAttribute('aria-pressed', 'false');
  await page.mouse.move(box.x + 3, box.y + 3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 3, box.y + box.height - 3, { steps: 5 });
  await page.mouse.up();
  await expect(keys.first()).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Delete');
  await expect(keys).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(keys).toHaveCount(1);
  await shot(page, 'curves');

  // Transport keys: arrows step, L plays, K stops.
  const playhead = page.getByRole('slider', { name: 'Playhead' });
  await page.keyboard.press('Home');
  await expect(playhead).toHaveAttribute('aria-valuenow', '0');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(playhead).toHaveAttribute('aria-valuenow', '2');
  await page.keyboard.press('l');
  await expect(page.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
  await page.keyboard.press('k');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
  await expect(page.getByLabel(/Save status/)).toHaveText('All changes saved');
});
