import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { PortraitError, toErrorShape } from '../../../src-shared/ipc/errors.js';
import type { JobFinished, JobProgress, JobSummary } from '../../../src-shared/jobs/schema.js';
import { EtaEstimator } from './eta.js';

export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Report progress; cheap to call often (events are throttled). */
  progress(done: number, total: number, stage: string, metrics?: Record<string, number>): void;
  /** Throws CANCELLED when the job was cancelled: call between units of work. */
  throwIfCancelled(): void;
}

export type JobFn = (ctx: JobContext) => Promise<unknown>;

interface JobEvents {
  started: [JobSummary];
  progress: [JobProgress];
  finished: [JobFinished];
}

interface Entry {
  summary: JobSummary;
  controller: AbortController;
  eta: EtaEstimator;
  lastEmit: number;
  done: Promise<void>;
}

/**
 * Runs long tasks with progress, ETA and cancel. The runner itself stays on the event
 * loop; jobs put heavy compute in worker threads or child processes.
 */
export class JobRunner extends EventEmitter<JobEvents> {
  private readonly jobs = new Map<string, Entry>();
  constructor(private readonly opts: { progressIntervalMs?: number; now?: () => number } = {}) {
    super();
  }

  start(channel: string, label: string, fn: JobFn, dir: string | null = null, subject: string | null = null): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    const now = this.opts.now ?? Date.now;
    const summary: JobSummary = {
      jobId,
      channel,
      label,
      dir,
      subject,
      state: 'running',
      startedAt: new Date(now()).toISOString(),
      finishedAt: null,
      progress: null,
      error: null,
    };
    const entry: Entry = { summary, controller, eta: new EtaEstimator(now), lastEmit: 0, done: Promise.resolve() };
    this.jobs.set(jobId, entry);
    const interval = this.opts.progressIntervalMs ?? 100;
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (done, total, stage, metrics) => {
        const t = now();
        const etaSec = entry.eta.update(done, total);
        const p: JobProgress = { jobId, channel, done, total, etaSec, stage, ...(metrics ? { metrics } : {}) };
        summary.progress = p;
        // Throttle, but always let the final unit and stage changes through.
        const stageChanged = entry.summary.progress?.stage !== stage;
        if (t - entry.lastEmit >= interval || done >= total || stageChanged) {
          entry.lastEmit = t;
          this.emit('progress', p);
        }
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new PortraitError('CANCELLED', 'The job was cancelled');
      },
    };
    // Deferred so the caller gets the id (and can subscribe) before any event.
    entry.done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.emit('started', { ...summary });
      let finished: JobFinished;
      try {
        const result = await fn(ctx);
        if (controller.signal.aborted) throw new PortraitError('CANCELLED', 'The job was cancelled');
        summary.state = 'succeeded';
        finished = { jobId, channel, state: 'succeeded', result };
      } catch (e) {
        const shape = toErrorShape(e);
        const cancelled = controller.signal.aborted || shape.code === 'CANCELLED';
        summary.state = cancelled ? 'cancelled' : 'failed';
        summary.error = cancelled ? null : shape;
        finished = cancelled ? { jobId, channel, state: 'cancelled' } : { jobId, channel, state: 'failed', error: shape };
      }
      summary.finishedAt = new Date(now()).toISOString();
      this.emit('finished', finished);
    });
    return jobId;
  }

  cancel(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new PortraitError('JOB_NOT_FOUND', `No job with id ${jobId}`);
    if (entry.summary.state !== 'running') return false;
    entry.controller.abort();
    return true;
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((e) => ({ ...e.summary }));
  }

  running(channel?: string): JobSummary[] {
    return this.list().filter((j) => j.state === 'running' && (!channel || j.channel === channel));
  }

  /** Resolves when the job has finished (any state). */
  async wait(jobId: string): Promise<JobSummary> {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new PortraitError('JOB_NOT_FOUND', `No job with id ${jobId}`);
    await entry.done;
    return { ...entry.summary };
  }

  /** Cancels everything and waits: used on app quit so jobs can checkpoint. */
  async shutdown(): Promise<void> {
    for (const e of this.jobs.values()) if (e.summary.state === 'running') e.controller.abort();
    await Promise.all([...this.jobs.values()].map((e) => e.done));
  }
}
