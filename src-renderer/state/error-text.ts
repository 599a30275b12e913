import { isPortraitError, type ErrorCode } from '../../src-shared/ipc/errors.js';

/** What to do next, per error code: every failure reaches the user with a next step. */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  FILE_NOT_FOUND: 'Check the path and that the file still exists.',
  NOT_A_VIDEO: 'Choose a video file (mp4, mov, mkv, webm, avi…).',
  CORRUPT_MEDIA: 'The file is damaged; re-export or re-copy it and import again.',
  NO_FFMPEG: 'Install ffmpeg or reinstall the app.',
  PROJECT_EXISTS: 'Open the existing project instead, or choose an empty folder.',
  PROJECT_NOT_FOUND: 'Choose a folder that contains project.json, or create a new project.',
  PROJECT_CORRUPT: 'The project file was not changed. Restore project.json from a backup.',
  PROJECT_TOO_NEW: 'Update Portrait Studio to open this project.',
  PROJECT_LOCKED: 'Close the project in the other window or process first.',
  DISK_FULL: 'Free some disk space and try again; nothing was lost.',
  PERMISSION_DENIED: 'Choose a location you can write to.',
  UNAUTHORIZED: 'Open the exact URL that the studio host printed (it carries the token).',
};

export function errorText(e: unknown): { title: string; hint: string | null; code: string } {
  if (isPortraitError(e)) return { title: e.message, hint: NEXT_STEP[e.code] ?? null, code: e.code };
  return { title: e instanceof Error ? e.message : String(e), hint: null, code: 'INTERNAL' };
}
