import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hostState } from './host-state.js';
import { FIXTURES, colorPixels, createProjectWithTarget, goToFrame, screenshotter, showTab } from './studio-helpers.js';

const shot = screenshotter('transfer');

test('transfer the source expression onto the target, undo it exactly; copy/paste keys, hold and bake a range', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const { url, workDir } = hostState();
  await createProjectWithTarget(page, url, workDir, 'e2e-transfer');
  const source = page.getByRole('region', { name: 'source video' });
  await source.getByLabel('Source video path').fill(join(FIXTURES, 'cap12_2s.mp4'));
  await source.getByRole('button', { name: 'Import source video' }).click();
  await expect(source.getByRole('table', { name: 'Video properties' })).toContainText('50 frames');

  const tracking = page.getByRole('region', { name: 'Tracking' });
  await tracking.getByRole('button', { name: 'Track target' }).click();
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 72 of 72 frames, [1-9]\d* with a face/, { timeout: 180_000 });
  await tracking.getByRole('button', { name: 'Track source' }).click();
  await expect(tracking.getByLabel('Source tracking status')).toContainText(/Tracked 50 of 50 frames, [1-9]\d* with a face/, { timeout: 180_000 });
  await expect(page.getByLabel('Curves status')).toContainText('Tracked curves');

  // Transfer panel: only the expression group on, then transfer on.
  await showTab(page, 'Transfer');
  const panel = page.getByRole('region', { name: 'Transfer' });
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.getByLabel('Transfer state')).toContainText('Off');
  for (const g of ['head pose', 'eye gaze', 'blinks']) {
    const box = panel.getByRole('checkbox', { name: `Transfer ${g}` });
    await box.uncheck();
    await expect(box).not.toBeChecked();
  }
  await expect(panel.getByRole('checkbox', { name: 'Transfer expression' })).toBeChecked();

  await goToFrame(page, 20);
  const before = await colorPixels(page, 20);
  await panel.getByLabel('Transfer motion from the source video').check();
  await expect(panel.getByLabel('Transfer state')).toContainText('source’s motion');
  await expect.poll(() => colorPixels(page, 20), { timeout: 30_000 }).not.toBe(before);
  await shot(page, 'transferred');

  // cap12_2s (2 s) is shorter than franck_3s (3 s): the panel says so and offers what to do
  // past its end (issue 16, item 5); holding its last frame changes frame 60; undo restores.
  const early = panel.getByLabel('Source ends early');
  await expect(early).toContainText('The source ends 1.0 s before the target (at target frame 48; 24 frames left)');
  await expect(early).toContainText('cuts back to its own motion in one frame');
  await goToFrame(page, 60);
  const cut = await colorPixels(page, 60);
  await early.getByRole('combobox', { name: 'After the source ends' }).click();
  await page.getByRole('option', { name: 'Hold the source’s last frame' }).click();
  await expect.poll(() => colorPixels(page, 60), { timeout: 30_000 }).not.toBe(cut);
  await expect(early).not.toContainText('cuts back');
  await page.keyboard.press('Control+z');
  await expect.poll(() => colorPixels(page, 60), { timeout: 30_000 }).toBe(cut);
  await goToFrame(page, 20);

  await page.keyboard.press('Control+z');
  await expect(panel.getByLabel('Transfer state')).toContainText('Off');
  await expect.poll(() => colorPixels(page, 20), { timeout: 30_000 }).toBe(before);
  // The group toggles stay (only the last step was undone).
  await expect(panel.getByRole('checkbox', { name: 'Transfer head pose' })).not.toBeChecked();

  // The help dialog lists the new actions (it is generated from the action table).
  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const t of ['Copy selected keys', 'Paste keys at the playhead', 'Hold channel over range', 'Bake range to keys']) await expect(help).toContainText(t);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await showTab(page, 'Key');
  // Copy a key and paste it at another frame: two keys; undo: one.
  await page.getByRole('button', { name: 'Select Head yaw' }).click();
  const keys = page.getByRole('navigation', { name: 'Keys' }).getByRole('button');
  await goToFrame(page, 10);
  await page.keyboard.press('k');
  await expect(keys).toHaveCount(1);
  await page.keyboard.press('Control+c');
  await goToFrame(page, 30);
  await page.keyboard.press('Control+v');
  await expect(keys).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Head yaw key at frame 10' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Head yaw key at frame 30' })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Control+z');
  await expect(keys).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Head yaw key at frame 30' })).toHaveCount(0);

  // Hold: needs a range; then shaded in the curve editor, removable from its context menu or the hold list.
  const holds = page.getByRole('region', { name: 'Holds' });
  await page.keyboard.press('h');
  await expect(page.getByRole('status').filter({ hasText: 'Set an in/out range first' })).toBeVisible();
  await goToFrame(page, 40);
  await page.keyboard.press('i');
  await goToFrame(page, 50);
  await page.keyboard.press('o');
  await page.keyboard.press('h');
  const removeBtn = holds.getByRole('button', { name: 'Remove hold on Head yaw, frames 40 to 50' });
  await expect(removeBtn).toBeVisible();
  const curves = page.getByRole('application', { name: 'Curve editor' });
  await expect(curves).toHaveAttribute('data-holds', '1');
  await curves.scrollIntoViewIfNeeded();
  const box = (await curves.boundingBox())!;
  const start = Number(await curves.getAttribute('data-view-start'));
  const ppf = Number(await curves.getAttribute('data-px-per-frame'));
  await page.mouse.click(box.x + (45 - start) * ppf, box.y + box.height / 2, { button: 'right' });
  await shot(page, 'hold-menu');
  await page.getByRole('menuitem', { name: 'Remove hold: Head yaw, frames 40 to 50' }).click();
  await expect(removeBtn).toHaveCount(0);
  await expect(curves).toHaveAttribute('data-holds', '0');
  // Shortcuts are ignored while focus is still inside the closing menu.
  await expect(page.getByRole('menu')).toBeHidden();
  await page.keyboard.press('Control+z');
  await expect(removeBtn).toBeVisible();
  await removeBtn.click();
  await expect(removeBtn).toHaveCount(0);

  // Bake the range to keys: one key per frame 40..50 next to the key at 10; undo: one step.
  await page.getByRole('button', { name: 'Bake range to keys (in to out)' }).click();
  await expect(keys).toHaveCount(12);
  await page.keyboard.press('Control+z');
  await expect(keys).toHaveCount(1);
  await expect(page.getByLabel(/Save status/)).toHaveText('All changes saved');
});
