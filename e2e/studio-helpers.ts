import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURES = join(HERE, '..', 'test', 'fixtures');

/** Full-page screenshots into e2e/artifacts/<prefix>-<name>.png. */
export function screenshotter(prefix: string) {
  return (page: Page, name: string) => page.screenshot({ path: join(HERE, 'artifacts', `${prefix}-${name}.png`), fullPage: true });
}

export async function goToFrame(page: Page, frame: number): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Current frame' });
  await field.fill(String(frame));
  await field.press('Enter');
  await expect(page.getByRole('slider', { name: 'Playhead' })).toHaveAttribute('aria-valuenow', String(frame));
}

export async function colorPixels(page: Page, frame: number): Promise<string> {
  const canvas = page.getByRole('img', { name: 'Color conditioning image' });
  await expect(canvas).toHaveAttribute('data-frame', String(frame));
  return canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

/** Creates a project named `name` in `workDir` from the start screen; returns its folder. */
export async function createProject(page: Page, url: string, workDir: string, name: string): Promise<string> {
  const dir = join(workDir, name);
  await page.goto(url);
  await page.getByLabel('New project folder').fill(dir);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByLabel('Current project')).toHaveText(name);
  return dir;
}

/** Imports a video as the open project's target and waits for its probe (`frames` frames). */
export async function importTarget(page: Page, path: string, frames: number, timeout?: number): Promise<void> {
  const target = page.getByRole('region', { name: 'target video' });
  await target.getByLabel('Target video path').fill(path);
  await target.getByRole('button', { name: 'Import target video' }).click();
  await expect(target.getByRole('table', { name: 'Video properties' })).toContainText(`${frames} frames`, timeout ? { timeout } : {});
}

/** Creates a project named `name` in `workDir` from the start screen and imports franck_3s as target. */
export async function createProjectWithTarget(page: Page, url: string, workDir: string, name: string): Promise<string> {
  const dir = await createProject(page, url, workDir, name);
  await importTarget(page, join(FIXTURES, 'franck_3s.mp4'), 72);
  return dir;
}

/** Shows one of the studio inspector's tabs (the workspace keeps one visible at a time). */
export async function showTab(page: Page, name: 'Media' | 'Key' | 'Transfer' | 'Training' | 'Render'): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}
