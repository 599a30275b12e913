import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../src-shared/jobs/schema.js';
import { visibleFailures } from './visible-failures.js';

const job = (id: string, channel: string, dir: string | null, state: JobSummary['state'], startedAt: string): JobSummary => ({
  jobId: id, channel, label: channel, dir, state, startedAt, finishedAt: null, progress: null, error: state === 'failed' ? { code: 'INTERNAL', message: 'x' } : null,
});

describe('visibleFailures (issue 16, item 13)', () => {
  it('shows the open project\'s failures (and project-less ones), not another project\'s', () => {
    const jobs = [job('a', 'render.start', '/p', 'failed', '1'), job('b', 'render.start', '/q', 'failed', '1'), job('c', 'media.probe', null, 'failed', '1')];
    expect(visibleFailures(jobs, '/p').map((j) => j.jobId)).toEqual(['a', 'c']);
    expect(visibleFailures(jobs, null).map((j) => j.jobId)).toEqual(['c']);
  });
  it('a later success of the same action on the same project retires the failure; other actions or projects do not', () => {
    const jobs = [
      job('f1', 'render.start', '/p', 'failed', '2026-11-28T06:00:00Z'),
      job('f2', 'tracking.start', '/p', 'failed', '2026-11-28T06:00:00Z'),
      job('f3', 'training.start', '/p', 'failed', '2026-11-28T06:10:00Z'),
      job('s1', 'render.start', '/p', 'succeeded', '2026-11-28T06:05:00Z'),
      job('s2', 'tracking.start', '/q', 'succeeded', '2026-11-28T06:05:00Z'),
      job('s3', 'training.start', '/p', 'succeeded', '2026-11-28T06:01:00Z'), // before f3
    ];
    expect(visibleFailures(jobs, '/p').map((j) => j.jobId)).toEqual(['f2', 'f3']);
  });
});
