import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { hostState } from './host-state.js';
import { FIXTURES, goToFrame, showTab, createProject, importTarget } from './studio-helpers.js';

const DOCS = join(fileURLToPath(new URL('.', import.meta.url)), 'artifacts');

/** Issue 16 item 6: the studio is one screen with resizable panes, at the sizes editors use. */
async function inView(page: Page, l: Locator, what: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  expect(b, `${what} is laid out`).not.toBeNull();
  const vp = page.viewportSize()!;
  expect(b!.width, `${what} has a width`).toBeGreaterThan(100);
  expect(b!.height, `${what} has a height`).toBeGreaterThan(60);
  expect(b!.x, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect(b!.y, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect(b!.x + b!.width, `${what} ends inside the window`).toBeLessThanOrEqual(vp.width + 0.5);
  expect(b!.y + b!.height, `${what} ends inside the window`).toBeLessThanOrEqual(vp.height + 0.5);
  return b!;
}

test('one-screen workspace: viewer, curves and inspector on screen at 1440x900, 1280x720 and 1024x700; panes resize and keep their size; the layout does not jump', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  const { url, workDir } = hostState();
  await page.setViewportSize({ width: 1440, height: 900 });
  await createProject(page, url, workDir, 'e2e-workspace');
  // A new project opens on the Media tab: nothing else works before a tracked target.
  await expect(page.getByRole('tab', { name: 'Media', exact: true })).toHaveAttribute('aria-selected', 'true');
  await importTarget(page, join(FIXTURES, 'with_audio.mp4'), 24);
  const tracking = page.getByRole('region', { name: 'Tracking' });
  await tracking.getByRole('button', { name: 'Track target' }).click();
  await expect(tracking.getByLabel('Target tracking status')).toContainText(/Tracked 24 of 24 frames/, { timeout: 180_000 });
  await expect(page.getByLabel('Curves status')).toContainText('Tracked curves');
  await showTab(page, 'Key');

  const viewer = page.getByRole('region', { name: 'Viewer' });
  const curves = page.getByRole('application', { name: 'Curve editor' });
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  const channels = page.getByRole('region', { name: 'Channels' });
  for (const [width, height] of [[1440, 900], [1280, 720], [1024, 700]] as const) {
    await page.setViewportSize({ width, height });
    // No page scroll: everything is inside the window.
    await expect.poll(() => page.evaluate(() => document.scrollingElement!.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
    await inView(page, viewer, `viewer at ${width}x${height}`);
    await inView(page, curves, `curve editor at ${width}x${height}`);
    await inView(page, inspector, `inspector at ${width}x${height}`);
    await inView(page, channels, `channel list at ${width}x${height}`);
    // Every visible preview panel fits inside the viewer pane.
    await expect(viewer).toHaveAttribute('data-fits', 'true');
    const vb = (await viewer.boundingBox())!;
    for (const p of await viewer.getByRole('region').all()) {
      const b = (await p.boundingBox())!;
      expect(b.y + b.height).toBeLessThanOrEqual(vb.y + vb.height + 0.5);
      expect(b.x + b.width).toBeLessThanOrEqual(vb.x + vb.width + 0.5);
    }
    await page.screenshot({ path: join(DOCS, `workspace-${width}x${height}.png`) });
  }

  // Opening the expression group brings its channels into view without scrolling the list by hand.
  await page.setViewportSize({ width: 1440, height: 900 });
  await channels.getByRole('button', { name: /Expression/ }).click();
  const expression = channels.getByRole('list', { name: 'Expression channels' });
  const firstExpression = expression.getByRole('button').first();
  await expect(firstExpression).toBeInViewport();
  const cb = (await channels.boundingBox())!;
  const eb = (await expression.boundingBox())!;
  expect(eb.y).toBeLessThanOrEqual(cb.y + 30);

  // Drag the separator between viewer and timeline up: the curve editor grows by about as much; a reload keeps it.
  const before = (await curves.boundingBox())!;
  const sep = page.getByRole('separator', { name: 'Resize viewer and timeline' });
  const sb = (await sep.boundingBox())!;
  await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
  await page.mouse.down();
  await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2 - 120, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await curves.boundingBox())!.height - before.height).toBeGreaterThan(90);
  const grown = (await curves.boundingBox())!.height;
  await page.reload();
  await expect(page.getByLabel('Curves status')).toContainText('Tracked curves');
  await expect.poll(async () => Math.abs((await curves.boundingBox())!.height - grown)).toBeLessThan(3);
  // The inspector comes back on the tab it showed.
  await expect(page.getByRole('tab', { name: 'Key', exact: true })).toHaveAttribute('aria-selected', 'true');

  // An edit changes the Undo label; nothing moves.
  const tools = page.getByRole('group', { name: 'Panels' });
  const toolsBefore = await tools.boundingBox();
  const curvesBefore = await curves.boundingBox();
  const undo = page.getByRole('button', { name: /^Undo/ });
  await expect(undo).toHaveText('Undo');
  await goToFrame(page, 12);
  await page.getByRole('button', { name: 'Select Head yaw' }).click();
  await page.keyboard.press('k');
  await expect(undo).toContainText('Undo: ');
  expect(await tools.boundingBox()).toEqual(toolsBefore);
  expect(await curves.boundingBox()).toEqual(curvesBefore);

  // One key with an offset shifts the whole clip: the Key tab says so, the curve editor hatches
  // the held spans, and one click confines it to the frames around the key (issue 16 item 4).
  const value = page.getByRole('textbox', { name: /Key value/ });
  await value.fill('10');
  await value.press('Enter');
  const held = page.getByRole('alert', { name: 'Offsets beyond the keys' });
  await expect(held).toContainText('Head yaw: its offset (10°) also applies over frames 0–11 and frames 13–23');
  await expect(curves).toHaveAttribute('data-held-ends', '2');
  await held.getByRole('button', { name: 'Limit to ±12 frames' }).click();
  await expect(held).toBeHidden();
  await expect(curves).toHaveAttribute('data-held-ends', '0');
  await expect(undo).toContainText('Limit offset to ±12 frames');

  // A panel enlarges in place: it takes the viewer pane, and restores.
  await viewer.getByRole('button', { name: 'Enlarge Video frame' }).click();
  const big = viewer.getByRole('region', { name: 'Video frame' });
  const vb = (await viewer.boundingBox())!;
  const bb = (await big.boundingBox())!;
  expect(bb.width).toBeGreaterThan(vb.width * 0.9);
  expect(bb.height).toBeGreaterThan(vb.height * 0.9);
  await viewer.getByRole('button', { name: 'Restore Video frame' }).click();
  await expect(viewer.getByRole('region')).not.toHaveCount(1);
});
