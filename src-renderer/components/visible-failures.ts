import type { JobSummary } from '../../src-shared/jobs/schema.js';

/**
 * The failed jobs worth a banner: those of the open project (or of none), and only until the
 * same action (channel and project) succeeds later: a failure that was fixed and redone is
 * history, not news.
 */
export function visibleFailures(jobs: readonly JobSummary[], projectDir: string | null): JobSummary[] {
  const mine = (j: JobSummary) => !j.dir || j.dir === projectDir;
  return jobs.filter(
    (f) =>
      f.state === 'failed' &&
      mine(f) &&
      !jobs.some((s) => s.state === 'succeeded' && s.channel === f.channel && (s.dir ?? null) === (f.dir ?? null) && s.startedAt > f.startedAt),
  );
}
