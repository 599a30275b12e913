import { z } from 'zod';
import { MediaInfo } from '../media/schema.js';

/** Bump when project.json changes shape; add a migration in migrate.ts for the step. */
export const PROJECT_SCHEMA_VERSION = 1;
export const PROJECT_FILE = 'project.json';

export const VideoRole = z.enum(['target', 'source']);
export type VideoRole = z.infer<typeof VideoRole>;

export const MediaRef = z.object({
  /** Absolute path, or relative to the project folder when the video lives inside it. */
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  importedAt: z.string(),
  probe: MediaInfo,
});
export type MediaRef = z.infer<typeof MediaRef>;

export const ProjectSettings = z.object({
  /**
   * Network profile chosen for this project. Unset: the one that suits the backend training
   * finds (training.backend: cpu without a GPU, light with one).
   */
  profile: z.string().optional(),
  /** Fraction of the target's last frames held out from training for validation. */
  holdoutFraction: z.number().min(0).max(0.5).default(0.1),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const ProjectFile = z.object({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  id: z.string(),
  name: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
  media: z.object({
    target: MediaRef.nullable().default(null),
    source: MediaRef.nullable().default(null),
  }),
  settings: ProjectSettings.default({ holdoutFraction: 0.1 }),
  /** Timeline edits; their own schema lives with the timeline and is validated there. */
  edits: z.record(z.string(), z.unknown()).default({}),
});
export type ProjectFile = z.infer<typeof ProjectFile>;
