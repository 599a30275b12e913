import { PortraitError } from '../ipc/errors.js';
import { PROJECT_SCHEMA_VERSION, ProjectFile } from './schema.js';

/** One step per version: migrations[n] turns a version-n document into version n+1. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

export const migrations: Record<number, Migration> = {
  // Version 0 was the pre-release layout: a flat `target`/`source` instead of `media`.
  0: (doc) => {
    const { target = null, source = null, ...rest } = doc as Record<string, unknown>;
    return { ...rest, schemaVersion: 1, media: { target, source } };
  },
};

export interface MigrationResult {
  project: ProjectFile;
  fromVersion: number;
  migrated: boolean;
}

/**
 * Brings any readable project document up to the current version, or throws a clear
 * error. Never touches disk: the store decides when (and whether) to write.
 */
export function migrateProject(raw: unknown, steps: Record<number, Migration> = migrations): MigrationResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PortraitError('PROJECT_CORRUPT', 'project.json is not a JSON object');
  }
  let doc = raw as Record<string, unknown>;
  const v = doc['schemaVersion'];
  const fromVersion = v === undefined ? 0 : v;
  if (typeof fromVersion !== 'number' || !Number.isInteger(fromVersion) || fromVersion < 0) {
    throw new PortraitError('PROJECT_CORRUPT', `project.json has an invalid schemaVersion: ${JSON.stringify(v)}`);
  }
  if (fromVersion > PROJECT_SCHEMA_VERSION) {
    throw new PortraitError(
      'PROJECT_TOO_NEW',
      `This project was saved by a newer Portrait Studio (project version ${fromVersion}; this app reads up to ${PROJECT_SCHEMA_VERSION}). Update the app to open it; the project was left untouched.`,
    );
  }
  for (let ver = fromVersion; ver < PROJECT_SCHEMA_VERSION; ver++) {
    const step = steps[ver];
    if (!step) throw new PortraitError('PROJECT_CORRUPT', `No migration from project version ${ver}`);
    doc = step(doc);
  }
  const parsed = ProjectFile.safeParse(doc);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new PortraitError('PROJECT_CORRUPT', `project.json does not match the project format (${where})`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return { project: parsed.data, fromVersion, migrated: fromVersion !== PROJECT_SCHEMA_VERSION };
}
