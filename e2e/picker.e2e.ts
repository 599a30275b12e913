import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hostState } from './host-state.js';
import { FIXTURES, showTab, createProject } from './studio-helpers.js';

test('browser mode picks a video through the host: places, folders, the chosen file imported (issue 16 item 14)', async ({ page }) => {
  const { url, workDir } = hostState();
  const dir = join(workDir, 'e2e-picker');
  await createProject(page, url, workDir, 'e2e-picker');
  // Footage kept in the project folder, as editors often do.
  mkdirSync(join(dir, 'footage'), { recursive: true });
  copyFileSync(join(FIXTURES, 'with_audio.mp4'), join(dir, 'footage', 'with_audio.mp4'));

  await showTab(page, 'Media');
  const target = page.getByRole('region', { name: 'target video' });
  await target.getByRole('button', { name: 'Choose the target video' }).click();
  const picker = page.getByRole('dialog', { name: 'Choose the target video' });
  const places = picker.getByRole('group', { name: 'Places' });
  await expect(places.getByRole('button', { name: 'Home' })).toBeVisible();
  await places.getByRole('button', { name: 'Project: e2e-picker' }).click();
  const list = picker.getByRole('list', { name: 'Folder contents' });
  await list.getByRole('button', { name: 'Folder footage' }).click();
  await expect(picker.getByRole('navigation', { name: 'Folder' })).toContainText('footage');
  await list.getByRole('button', { name: 'File with_audio.mp4' }).click();
  await expect(picker.getByLabel('Chosen path')).toHaveText(join(dir, 'footage', 'with_audio.mp4'));
  await picker.getByRole('button', { name: 'Choose', exact: true }).click();
  await expect(picker).toBeHidden();
  await expect(target.getByLabel('Target video path')).toHaveValue(join(dir, 'footage', 'with_audio.mp4'));
  await target.getByRole('button', { name: 'Import target video' }).click();
  await expect(target.getByRole('table', { name: 'Video properties' })).toContainText('24 frames');

  // Up from the folder, and Cancel leaves the field alone.
  await target.getByRole('button', { name: 'Choose the target video' }).click();
  await expect(list.getByRole('button', { name: 'File with_audio.mp4' })).toBeVisible(); // it reopens where it was
  await list.getByRole('button', { name: 'Up one folder' }).click();
  await expect(list.getByRole('button', { name: 'Folder footage' })).toBeVisible();
  await picker.getByRole('button', { name: 'Cancel' }).click();
  await expect(picker).toBeHidden();
});
