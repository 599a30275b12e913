import { describe, expect, it } from 'vitest';
import { PortraitClient } from '../../../src-shared/ipc/client.js';
import type { JobSummary } from '../../../src-shared/jobs/schema.js';
import { FakeHost, ok, settle } from '../../../test/helpers/fake-host.js';
import { JobFollower, runningJobs, type JobEnd } from './job-follower.js';

const summary = (o: Partial<JobSummary> & Pick<JobSummary, 'jobId' | 'channel'>): JobSummary => ({
  label: 'x', dir: '/p', subject: null, state: 'running', startedAt: '', finishedAt: null, progress: null, error: null, ...o,
});
const progress = (jobId: string, done: number) => ({ jobId, channel: 'tracking.start', done, total: 10, etaSec: null, stage: 'Tracking' });
const tracked = { role: 'source', frames: 10, framesTracked: 10, framesWithFace: 9, resumedFrom: 0, warnings: [] };

function follower(host: FakeHost, subject: string) {
  const ends: Array<JobEnd<'tracking.start'>> = [];
  const f = new JobFollower(new PortraitClient(host), 'tracking.start', {
    pick: (jobs) => runningJobs(jobs, 'tracking.start', '/p', subject).at(-1) ?? null,
    onEnd: (e) => ends.push(e),
  });
  return { f, ends };
}

describe('job follower', () => {
  it('finds the running jobs of a channel, project and subject', () => {
    const jobs = [
      summary({ jobId: 'a', channel: 'tracking.start', subject: 'target' }),
      summary({ jobId: 'b', channel: 'tracking.start', subject: 'source' }),
      summary({ jobId: 'c', channel: 'tracking.start', subject: 'source', dir: '/other' }),
      summary({ jobId: 'd', channel: 'tracking.start', subject: 'source', state: 'succeeded' }),
      summary({ jobId: 'e', channel: 'render.start', subject: 'source' }),
    ];
    expect(runningJobs(jobs, 'tracking.start', '/p', 'source').map((j) => j.jobId)).toEqual(['b']);
    expect(runningJobs(jobs, 'tracking.start', '/p').map((j) => j.jobId)).toEqual(['a', 'b']);
  });

  it('re-attaches to its own running job after a reload and follows it to its parsed result', async () => {
    const jobs = [summary({ jobId: 't', channel: 'tracking.start', subject: 'target' }), summary({ jobId: 's', channel: 'tracking.start', subject: 'source', label: 'Track source video', progress: progress('s', 3) })];
    const host = new FakeHost((channel) => ok(channel === 'jobs.list' ? jobs : null));
    const { f, ends } = follower(host, 'source');
    const j = await f.attach();
    expect(j).toMatchObject({ jobId: 's', label: 'Track source video', progress: { done: 3 }, request: null, cancelling: false });
    expect(f.busy).toBe(true);

    host.emit('job.progress', progress('t', 9));
    expect(f.job.get()!.progress!.done).toBe(3);
    host.emit('job.progress', progress('s', 5));
    expect(f.job.get()!.progress!.done).toBe(5);

    host.emit('job.finished', { jobId: 't', channel: 'tracking.start', state: 'succeeded', result: tracked });
    expect(f.job.get()).not.toBeNull();
    host.emit('job.finished', { jobId: 's', channel: 'tracking.start', state: 'succeeded', result: tracked });
    expect(f.job.get()).toBeNull();
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ kind: 'succeeded', value: { framesWithFace: 9 }, job: { jobId: 's', progress: { done: 5 } } });
    expect(f.ended.get()).toBe(ends[0]);
    f.dispose();
  });

  it('a job that ends while the job list is on its way is not followed forever', async () => {
    let host: FakeHost;
    host = new FakeHost((channel) => {
      if (channel !== 'jobs.list') return ok(null);
      // The host lists the job as running, and its end reaches the studio before the list does.
      host.emit('job.finished', { jobId: 's', channel: 'tracking.start', state: 'cancelled' });
      return ok([summary({ jobId: 's', channel: 'tracking.start', subject: 'source' })]);
    });
    const { f, ends } = follower(host, 'source');
    await f.attach();
    expect(f.job.get()).toBeNull();
    expect(ends.map((e) => e.kind)).toEqual(['cancelled']);
    f.dispose();
  });

  it('reports a result the contract does not describe as an error, not as a success', async () => {
    const host = new FakeHost((channel) => ok(channel === 'jobs.list' ? [summary({ jobId: 's', channel: 'tracking.start', subject: 'source' })] : null));
    const { f, ends } = follower(host, 'source');
    await f.attach();
    host.emit('job.finished', { jobId: 's', channel: 'tracking.start', state: 'succeeded', result: { frames: 'many' } });
    expect(ends[0]).toMatchObject({ kind: 'failed', error: { code: 'INTERNAL' } });
    f.dispose();
  });

  it('starts a job, keeps progress that came before the start reply, and ends with its result', async () => {
    let host: FakeHost;
    host = new FakeHost((channel) => {
      if (channel !== 'tracking.start') return ok([]);
      // The host reports progress before the start reply reaches the studio.
      host.emit('job.progress', progress('j1', 1));
      return ok({ jobId: 'j1' });
    });
    const { f, ends } = follower(host, 'source');
    const starting = f.start({ dir: '/p', role: 'source' }, 'Track source video');
    expect(f.busy).toBe(true);
    await starting;
    expect(f.job.get()).toMatchObject({ jobId: 'j1', progress: { done: 1 }, request: { role: 'source' } });
    // A second start while one is followed does nothing.
    await f.start({ dir: '/p', role: 'source' }, 'again');
    expect(host.calls.filter((c) => c.channel === 'tracking.start')).toHaveLength(1);
    host.emit('job.finished', { jobId: 'j1', channel: 'tracking.start', state: 'succeeded', result: tracked });
    await settle();
    expect(ends).toEqual([expect.objectContaining({ kind: 'succeeded', value: expect.objectContaining({ frames: 10 }) })]);
    expect(f.busy).toBe(false);
    f.dispose();
  });

  it('a refused start ends as failed with no job, and the follower is free again', async () => {
    const host = new FakeHost(() => ({ ok: false, error: { code: 'JOB_CONFLICT', message: 'The source video is being imported; track it once the import is done.' } }));
    const { f, ends } = follower(host, 'source');
    await f.start({ dir: '/p', role: 'source' }, 'Track source video');
    expect(ends).toEqual([{ kind: 'failed', error: expect.objectContaining({ code: 'JOB_CONFLICT' }), job: null }]);
    expect(f.busy).toBe(false);
    f.dismiss();
    expect(f.ended.get()).toBeNull();
    f.dispose();
  });

  it('cancel is sent once, shows as cancelling, and the job ends as cancelled', async () => {
    const host = new FakeHost((channel) => ok(channel === 'tracking.start' ? { jobId: 'j1' } : channel === 'jobs.cancel' ? { cancelled: true } : []));
    const { f, ends } = follower(host, 'source');
    await f.start({ dir: '/p', role: 'source' }, 'Track source video');
    await Promise.all([f.cancel(), f.cancel()]);
    expect(host.calls.filter((c) => c.channel === 'jobs.cancel')).toEqual([{ channel: 'jobs.cancel', payload: { jobId: 'j1' } }]);
    expect(f.job.get()!.cancelling).toBe(true);
    host.emit('job.finished', { jobId: 'j1', channel: 'tracking.start', state: 'cancelled' });
    await settle();
    expect(ends.map((e) => e.kind)).toEqual(['cancelled']);
    f.dispose();
  });

  it('a failed cancel leaves the job followed and not cancelling', async () => {
    const host = new FakeHost((channel) => (channel === 'jobs.cancel' ? { ok: false, error: { code: 'INTERNAL' as const, message: 'The studio host is not reachable' } } : ok(channel === 'tracking.start' ? { jobId: 'j1' } : [])));
    const { f } = follower(host, 'source');
    await f.start({ dir: '/p', role: 'source' }, 'Track source video');
    await expect(f.cancel()).rejects.toMatchObject({ message: 'The studio host is not reachable' });
    expect(f.job.get()).toMatchObject({ jobId: 'j1', cancelling: false });
    f.dispose();
  });
});
