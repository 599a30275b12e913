import { z } from 'zod';
import { PortraitErrorShape } from '../ipc/errors.js';

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobProgress = z.object({
  jobId: z.string(),
  channel: z.string(),
  /** Units done and total; total 0 means indeterminate. */
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /** Seconds left, estimated from the rate so far; null until there is a rate. */
  etaSec: z.number().nonnegative().nullable(),
  stage: z.string(),
  /** Job-specific numbers (losses, fps, ...) for dashboards. */
  metrics: z.record(z.string(), z.number()).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobSummary = z.object({
  jobId: z.string(),
  channel: z.string(),
  label: z.string(),
  /** The project folder the job works on, when it has one (lets a reopened UI re-attach). */
  dir: z.string().nullable().optional(),
  /** What in the project it works on where a project can run several (a video role, an output file). */
  subject: z.string().nullable().optional(),
  state: JobState,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: JobProgress.nullable(),
  error: PortraitErrorShape.nullable(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobStarted = z.object({ jobId: z.string() });
export type JobStarted = z.infer<typeof JobStarted>;

export const JobFinished = z.object({
  jobId: z.string(),
  channel: z.string(),
  state: z.enum(['succeeded', 'failed', 'cancelled']),
  result: z.unknown().optional(),
  error: PortraitErrorShape.optional(),
});
export type JobFinished = z.infer<typeof JobFinished>;
