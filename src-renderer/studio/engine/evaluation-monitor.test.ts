import { describe, expect, it } from 'vitest';
import { PortraitClient } from '../../../src-shared/ipc/client.js';
import { FakeHost, ok, settle as flush } from '../../../test/helpers/fake-host.js';
import type { JobSummary } from '../../../src-shared/jobs/schema.js';
import { EvaluationMonitor, evaluationRequest } from './evaluation-monitor.js';
import { report } from './quality-fixtures.js';

const progress = (jobId: string, done: number, total: number, stage: string) => ({ jobId, channel: 'evaluation.start', done, total, etaSec: null, stage });

describe('evaluation monitor', () => {
  it('sends pixels only as control, identity and edits off, and names a snapshot', () => {
    expect(evaluationRequest('/p', {})).toEqual({ dir: '/p' });
    expect(evaluationRequest('/p', { pixelsOnly: true })).toEqual({ dir: '/p', control: false, identity: false, edits: false });
    expect(evaluationRequest('/p', { snapshot: 'good' })).toEqual({ dir: '/p', snapshot: 'good' });
  });

  it('reads the kept reports, follows a started job and shows its report when it succeeds', async () => {
    const kept = report({ createdAt: '2025-01-01T00:00:00.000Z' });
    const fresh = report({ createdAt: '2025-02-01T00:00:00.000Z', checkpoint: { snapshot: 'good', step: 300, profile: 'tiny', resolution: 16 } });
    let list = [kept];
    const host = new FakeHost((channel) => {
      if (channel === 'evaluation.list') return ok(list);
      if (channel === 'jobs.list') return ok([]);
      if (channel === 'evaluation.start') return ok({ jobId: 'j1' });
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: channel } };
    });
    const m = new EvaluationMonitor(new PortraitClient(host), '/p');
    await m.open();
    expect(m.reports.get()).toEqual([kept]);
    expect(m.loaded.get()).toBe(true);

    await m.start({ snapshot: 'good', pixelsOnly: true });
    expect(host.calls.find((c) => c.channel === 'evaluation.start')!.payload).toEqual({ dir: '/p', snapshot: 'good', control: false, identity: false, edits: false });
    expect(m.job.get()).toMatchObject({ jobId: 'j1', label: 'Evaluate snapshot good', progress: null });

    host.emit('job.progress', progress('other', 1, 2, 'Training'));
    expect(m.job.get()!.progress).toBeNull();
    host.emit('job.progress', progress('j1', 2, 7, 'Synthesizing and measuring frames'));
    expect(m.job.get()!.progress).toMatchObject({ done: 2, total: 7 });

    list = [fresh, kept];
    host.emit('job.finished', { jobId: 'j1', channel: 'evaluation.start', state: 'succeeded', result: fresh });
    await flush();
    expect(m.job.get()).toBeNull();
    expect(m.reports.get()[0]).toEqual(fresh);
    expect(m.note.get()?.text).toContain('snapshot “good” (step 300)');
    await flush();
    expect(m.reports.get()).toEqual([fresh, kept]);
    m.dispose();
  });

  it('shows the service’s error (no checkpoint) and a cancel as a note', async () => {
    let n = 0;
    const host = new FakeHost((channel) => {
      if (channel === 'evaluation.list') return ok([]);
      if (channel === 'evaluation.start') return ok({ jobId: `j${++n}` });
      if (channel === 'jobs.cancel') return ok({ cancelled: true });
      return ok([]);
    });
    const m = new EvaluationMonitor(new PortraitClient(host), '/p');
    await m.start();
    host.emit('job.finished', { jobId: 'j1', channel: 'evaluation.start', state: 'failed', error: { code: 'BAD_REQUEST', message: 'Train the target actor first: this project has no checkpoint to evaluate.' } });
    await flush();
    expect(m.job.get()).toBeNull();
    expect((m.error.get() as Error).message).toMatch(/^Train the target actor first/);

    await m.start();
    expect(m.error.get()).toBeNull();
    await m.cancel();
    expect(host.calls.at(-1)).toEqual({ channel: 'jobs.cancel', payload: { jobId: 'j2' } });
    expect(m.job.get()?.cancelling).toBe(true);
    host.emit('job.finished', { jobId: 'j2', channel: 'evaluation.start', state: 'cancelled' });
    await flush();
    expect(m.job.get()).toBeNull();
    expect(m.error.get()).toBeNull();
    expect(m.note.get()?.text).toMatch(/cancelled/);
    m.dispose();
  });

  it('re-attaches to an evaluation of this project that is running on open', async () => {
    const running: JobSummary = {
      jobId: 'r1', channel: 'evaluation.start', label: 'Evaluate latest checkpoint', dir: '/p', state: 'running', startedAt: '', finishedAt: null,
      progress: progress('r1', 3, 7, 'Synthesizing and measuring frames'), error: null,
    };
    const host = new FakeHost((channel) => ok(channel === 'jobs.list' ? [running] : []));
    const m = new EvaluationMonitor(new PortraitClient(host), '/p');
    await m.open();
    expect(m.job.get()).toMatchObject({ jobId: 'r1', label: 'Evaluate latest checkpoint', progress: { done: 3 } });
    expect(m.note.get()?.text).toMatch(/Re-attached/);
    m.dispose();
  });
});
