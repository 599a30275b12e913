import { describe, expect, it } from 'vitest';
import { migrateProject } from './migrate.js';
import { PROJECT_SCHEMA_VERSION } from './schema.js';

const v1 = {
  schemaVersion: 1,
  id: 'p1',
  name: 'Demo',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  media: { target: null, source: null },
};

describe('migrateProject', () => {
  it('accepts a current document and fills defaults', () => {
    const r = migrateProject(v1);
    expect(r.migrated).toBe(false);
    expect(r.project.settings.profile).toBeUndefined(); // no choice made: the backend's suggestion applies
    expect(r.project.edits).toEqual({});
  });
  it('migrates a version-0 document', () => {
    const { schemaVersion: _v, media: _m, ...rest } = v1;
    const r = migrateProject({ ...rest, target: null, source: null });
    expect(r.fromVersion).toBe(0);
    expect(r.migrated).toBe(true);
    expect(r.project.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
  });
  it('refuses a newer version with PROJECT_TOO_NEW', () => {
    expect(() => migrateProject({ ...v1, schemaVersion: PROJECT_SCHEMA_VERSION + 1 })).toThrow(/newer Portrait Studio/);
  });
  it('reports a malformed document as PROJECT_CORRUPT with the field', () => {
    try {
      migrateProject({ ...v1, name: 42 });
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('PROJECT_CORRUPT');
      expect((e as Error).message).toContain('name');
    }
  });
  it('refuses non-objects', () => {
    expect(() => migrateProject([])).toThrow(/not a JSON object/);
    expect(() => migrateProject(null)).toThrow(/not a JSON object/);
  });
});
