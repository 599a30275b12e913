import { describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { JobRunner } from '../jobs/job-runner.js';
import { ServiceRegistry } from './registry.js';

function makeRegistry() {
  const runner = new JobRunner({ progressIntervalMs: 0 });
  const reg = new ServiceRegistry(runner);
  return { reg, runner };
}

describe('ServiceRegistry', () => {
  it('validates and answers a good request', async () => {
    const { reg } = makeRegistry();
    reg.handle('jobs.cancel', (req) => ({ cancelled: req.jobId === 'x' }));
    expect(await reg.dispatch('jobs.cancel', { jobId: 'x' })).toEqual({ ok: true, value: { cancelled: true } });
  });

  it('rejects an unknown channel with UNKNOWN_CHANNEL', async () => {
    const { reg } = makeRegistry();
    const r = await reg.dispatch('fs.deleteEverything', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('does not treat Object.prototype members as channels', async () => {
    const { reg } = makeRegistry();
    expect(await reg.dispatch('constructor', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await reg.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it.each([
    ['a missing field', {}],
    ['a wrong type', { path: 42 }],
    ['an empty path', { path: '' }],
    ['a non-object payload', 'hello'],
  ])('rejects %s with BAD_REQUEST naming the field', async (_what, payload) => {
    const { reg } = makeRegistry();
    let called = false;
    reg.handle('media.probe', () => {
      called = true;
      throw new Error('must not run');
    });
    const r = await reg.dispatch('media.probe', payload);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_REQUEST');
      expect(r.error.message).toMatch(/media\.probe/);
    }
    expect(called).toBe(false);
  });

  it('passes typed errors through and hides internal ones behind INTERNAL', async () => {
    const { reg } = makeRegistry();
    reg.handle('media.probe', () => {
      throw new PortraitError('NOT_A_VIDEO', 'nope');
    });
    reg.handle('project.recent', () => {
      throw new TypeError('x is undefined');
    });
    expect(await reg.dispatch('media.probe', { path: '/a' })).toEqual({ ok: false, error: { code: 'NOT_A_VIDEO', message: 'nope' } });
    expect(await reg.dispatch('project.recent', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('maps a full disk to DISK_FULL', async () => {
    const { reg } = makeRegistry();
    reg.handle('project.recent', () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: '/p/project.json' });
    });
    const r = await reg.dispatch('project.recent', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'DISK_FULL' } });
  });

  it('refuses a reply that breaks the contract', async () => {
    const { reg } = makeRegistry();
    reg.handle('jobs.cancel', () => ({ cancelled: 'yes' }) as unknown as { cancelled: boolean });
    expect(await reg.dispatch('jobs.cancel', { jobId: 'a' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('reports a declared channel without a handler as UNSUPPORTED and lists it', async () => {
    const { reg } = makeRegistry();
    expect(reg.missing()).toContain('project.create');
    expect(await reg.dispatch('project.recent', {})).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
  });

  it('starts a job and validates its result', async () => {
    const { reg, runner } = makeRegistry();
    reg.job('project.importVideo', {
      label: () => 'import',
      run: async () => ({ bogus: true }) as never,
    });
    const r = await reg.dispatch('project.importVideo', { dir: '/p', role: 'target', path: '/v.mp4' });
    expect(r.ok).toBe(true);
    const { jobId } = (r as { value: { jobId: string } }).value;
    const done = await runner.wait(jobId);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('INTERNAL');
  });
});
