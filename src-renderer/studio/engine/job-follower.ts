/**
 * Following one kind of job of the open project: the one mechanism behind tracking, training,
 * evaluation and render in the studio. Jobs live in the host (they survive closing or
 * reloading the page), so a follower either starts its job or re-attaches to a running one
 * (jobs.list), then follows it through job.progress / job.finished until it ends. State is in
 * atoms the UI reads; no React.
 */
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { contract, type JobChannelName, type RequestOf, type ResultOf } from '../../../src-shared/ipc/contract.js';
import type { JobFinished, JobProgress, JobSummary } from '../../../src-shared/jobs/schema.js';
import { Atom } from './atom.js';
import { Coalescer, UI_PROGRESS_INTERVAL_MS } from './coalesce.js';

export interface FollowedJob<K extends JobChannelName> {
  jobId: string;
  label: string;
  progress: JobProgress | null;
  /** Cancel sent, the job not finished yet (a training writes its checkpoint meanwhile). */
  cancelling: boolean;
  /** The request, when this studio started the job (null after re-attaching to it). */
  request: RequestOf<K> | null;
}

/** How a followed job ended: its result, a cancel, or an error (a refused start included). */
export type JobEnd<K extends JobChannelName> =
  | { kind: 'succeeded'; value: ResultOf<K>; job: FollowedJob<K> }
  | { kind: 'cancelled'; job: FollowedJob<K> }
  | { kind: 'failed'; error: unknown; job: FollowedJob<K> | null };

export interface FollowerOptions<K extends JobChannelName> {
  /** The running job of this session this follower owns, among all the host's jobs. */
  pick(jobs: readonly JobSummary[]): JobSummary | null;
  /** Every progress event of the followed job (a chart wants each one), in display-rate batches. */
  onProgress?(batch: JobProgress[]): void;
  /** Called once per job, after `job` is cleared and `ended` is set. */
  onEnd?(end: JobEnd<K>): void;
}

/** The running (or queued) jobs of a channel for a project, optionally one subject of it; newest last. */
export function runningJobs(jobs: readonly JobSummary[], channel: JobChannelName, dir: string, subject?: string): JobSummary[] {
  return jobs.filter((j) => j.channel === channel && (j.state === 'running' || j.state === 'queued') && j.dir === dir && (subject === undefined || j.subject === subject));
}

type Outcome<K extends JobChannelName> = { kind: 'succeeded'; value: ResultOf<K> } | { kind: 'cancelled' } | { kind: 'failed'; error: unknown };

export class JobFollower<K extends JobChannelName> {
  readonly job = new Atom<FollowedJob<K> | null>(null);
  /** How the last job ended, until the UI dismisses it (`dismiss()`) or another starts. */
  readonly ended = new Atom<JobEnd<K> | null>(null);
  private readonly offs: Array<() => void> = [];
  private starting = false;
  private disposed = false;
  private finishedWhileListing: Map<string, JobFinished> | null = null;
  /** Progress reaches the atoms at a display rate, however fast the job reports. */
  private readonly batch = new Coalescer<JobProgress>((ps) => this.apply(ps), UI_PROGRESS_INTERVAL_MS);

  constructor(
    private readonly client: PortraitClient,
    private readonly channel: K,
    private readonly opts: FollowerOptions<K>,
  ) {
    // Events follow a re-attached job; a job started here is followed through its handle.
    this.offs.push(
      client.on('job.progress', (p) => {
        const j = this.job.get();
        if (j && j.request === null && p.jobId === j.jobId) this.progress(p);
      }),
      client.on('job.finished', (f) => {
        this.finishedWhileListing?.set(f.jobId, f);
        this.finished(f);
      }),
    );
  }

  /** The end of a re-attached job, from its job.finished event. */
  private finished(f: JobFinished): void {
    const j = this.job.get();
    if (!j || j.request !== null || f.jobId !== j.jobId) return;
    if (f.state === 'succeeded') {
      const r = (contract[this.channel] as unknown as { result: { safeParse(v: unknown): { success: boolean; data?: unknown } } }).result.safeParse(f.result);
      this.finish(j.jobId, r.success ? { kind: 'succeeded', value: r.data as ResultOf<K> } : { kind: 'failed', error: new PortraitError('INTERNAL', `The studio host sent an unexpected result for ${this.channel}`) });
    } else if (f.state === 'cancelled') this.finish(j.jobId, { kind: 'cancelled' });
    else this.finish(j.jobId, { kind: 'failed', error: f.error ? new PortraitError(f.error.code, f.error.message, f.error.details) : new PortraitError('INTERNAL', 'The job failed') });
  }

  /** A job is followed, or being started. */
  get busy(): boolean {
    return this.job.get() !== null || this.starting;
  }

  /** Re-attaches to this follower's job if the host is running one; returns it (a failure to ask shows in `ended`). */
  async attach(): Promise<FollowedJob<K> | null> {
    if (this.busy) return this.job.get();
    let jobs: JobSummary[];
    // A job can end while the list is on its way: its job.finished event is kept and applied.
    const ended = (this.finishedWhileListing = new Map());
    try {
      jobs = await this.client.call('jobs.list', {});
    } catch (error) {
      if (!this.disposed) this.ended.set({ kind: 'failed', error, job: null });
      return null;
    } finally {
      this.finishedWhileListing = null;
    }
    const s = this.opts.pick(jobs);
    if (!s || this.busy || this.disposed) return this.job.get();
    const j: FollowedJob<K> = { jobId: s.jobId, label: s.label, progress: s.progress, cancelling: false, request: null };
    this.job.set(j);
    const f = ended.get(s.jobId);
    if (f) this.finished(f);
    return j;
  }

  /**
   * Starts the job and follows it; resolves once it has started (or was refused: then `ended`
   * says why). Does nothing while a job is followed.
   */
  async start(request: RequestOf<K>, label: string): Promise<void> {
    if (this.busy) return;
    this.starting = true;
    this.ended.set(null);
    let early: JobProgress | null = null;
    let started = false;
    try {
      const handle = await this.client.startJob(this.channel, request, (p) => {
        if (started) this.progress(p);
        else early = p;
      });
      started = true;
      if (this.disposed) return;
      this.job.set({ jobId: handle.jobId, label, progress: early, cancelling: false, request });
      handle.result.then(
        (value) => this.finish(handle.jobId, { kind: 'succeeded', value }),
        (error: unknown) => this.finish(handle.jobId, error instanceof PortraitError && error.code === 'CANCELLED' ? { kind: 'cancelled' } : { kind: 'failed', error }),
      );
    } catch (error) {
      if (!this.disposed) this.end({ kind: 'failed', error, job: null });
    } finally {
      this.starting = false;
    }
  }

  /** Asks the host to cancel the followed job; it stays followed until it has stopped. */
  async cancel(): Promise<void> {
    const j = this.job.get();
    if (!j || j.cancelling) return;
    this.job.set({ ...j, cancelling: true });
    try {
      await this.client.call('jobs.cancel', { jobId: j.jobId });
    } catch (error) {
      const now = this.job.get();
      if (now?.jobId === j.jobId) this.job.set({ ...now, cancelling: false });
      throw error;
    }
  }

  dismiss(): void {
    this.ended.set(null);
  }

  dispose(): void {
    this.disposed = true;
    this.batch.cancel();
    this.offs.forEach((o) => o());
  }

  private progress(p: JobProgress): void {
    const j = this.job.get();
    if (j && p.jobId === j.jobId && !this.disposed) this.batch.push(p);
  }

  private apply(ps: JobProgress[]): void {
    const j = this.job.get();
    if (!j || this.disposed) return;
    const mine = ps.filter((p) => p.jobId === j.jobId);
    if (mine.length === 0) return;
    this.job.set({ ...j, progress: mine[mine.length - 1]! });
    this.opts.onProgress?.(mine);
  }

  private finish(jobId: string, outcome: Outcome<K>): void {
    if (this.job.get()?.jobId !== jobId || this.disposed) return;
    // The last progress reaches the UI (and the charts) before the end does.
    this.batch.flush();
    const job = this.job.get()!;
    this.job.set(null);
    this.end({ ...outcome, job });
  }

  private end(end: JobEnd<K>): void {
    this.ended.set(end);
    this.opts.onEnd?.(end);
  }
}
