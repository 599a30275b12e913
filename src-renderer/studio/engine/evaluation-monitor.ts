/**
 * Evaluation of the open project's network, as the studio sees it: the reports kept in the
 * project (evaluation.list, newest first) and the running evaluation.start job (started here
 * or re-attached on open via jobs.list), followed through job.progress / job.finished.
 * Owned by the TrainingMonitor; no React.
 */
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { EvaluationReport } from '../../../src-shared/evaluation/schema.js';
import type { RequestOf } from '../../../src-shared/ipc/contract.js';
import type { JobProgress } from '../../../src-shared/jobs/schema.js';
import { Atom } from './atom.js';
import { pickEvaluationJob } from './quality-format.js';
import { count } from '../../../src-shared/text/count.js';

export interface EvaluationJob {
  jobId: string;
  /** What is evaluated, in words ("Evaluate latest checkpoint", "Evaluate snapshot x"). */
  label: string;
  progress: JobProgress | null;
  /** Cancel sent, not finished yet. */
  cancelling: boolean;
}

export type EvaluationNote = { text: string; severity: 'info' | 'success' | 'warning' };

export interface EvaluateOptions {
  /** A named snapshot; default the latest checkpoint. */
  snapshot?: string;
  /** Pixels only: no identity, no re-tracking (control, edits). */
  pixelsOnly?: boolean;
}

/** The request for evaluate options (pixels only = control, identity and edits off). */
export function evaluationRequest(dir: string, o: EvaluateOptions): RequestOf<'evaluation.start'> {
  return {
    dir,
    ...(o.snapshot ? { snapshot: o.snapshot } : {}),
    ...(o.pixelsOnly ? { control: false, identity: false, edits: false } : {}),
  };
}

export function evaluationLabel(snapshot: string | undefined | null): string {
  return snapshot ? `Evaluate snapshot ${snapshot}` : 'Evaluate latest checkpoint';
}

type Outcome = { ok: true; value: EvaluationReport } | { ok: false; error: unknown };

export class EvaluationMonitor {
  /** Reports kept in the project, newest first. */
  readonly reports = new Atom<EvaluationReport[]>([]);
  readonly listError = new Atom<unknown>(null);
  /** False until the first evaluation.list answered (or failed). */
  readonly loaded = new Atom<boolean>(false);
  readonly job = new Atom<EvaluationJob | null>(null);
  readonly error = new Atom<unknown>(null);
  readonly note = new Atom<EvaluationNote | null>(null);
  /** The "pixels only (fast)" option, shared by the section's button and the snapshot list. */
  readonly pixelsOnly = new Atom<boolean>(false);
  private readonly offs: Array<() => void> = [];
  private disposed = false;
  private starting = false;
  /** Progress that arrived before startJob returned the job id. */
  private early: JobProgress[] = [];

  constructor(
    private readonly client: PortraitClient,
    private readonly dir: string,
  ) {
    this.offs.push(
      client.on('job.progress', (p) => this.progress(p)),
      client.on('job.finished', (f) => {
        const j = this.job.get();
        if (!j || f.jobId !== j.jobId) return;
        if (f.state === 'succeeded') {
          const r = EvaluationReport.safeParse(f.result);
          this.finished(j.jobId, r.success ? { ok: true, value: r.data } : { ok: false, error: new PortraitError('INTERNAL', 'The studio host sent an unexpected evaluation report') });
        } else if (f.state === 'cancelled') this.finished(j.jobId, { ok: false, error: new PortraitError('CANCELLED', 'cancelled') });
        else this.finished(j.jobId, { ok: false, error: f.error ? new PortraitError(f.error.code, f.error.message, f.error.details) : new PortraitError('INTERNAL', 'The evaluation failed') });
      }),
    );
  }

  /** Reads the kept reports and re-attaches to an evaluation running for this project. */
  async open(): Promise<void> {
    await this.refresh();
    try {
      const jobs = await this.client.call('jobs.list', {});
      const j = pickEvaluationJob(jobs, this.dir);
      if (j && !this.job.get() && !this.disposed) {
        this.job.set({ jobId: j.jobId, label: j.label, progress: j.progress, cancelling: false });
        this.note.set({ text: 'Re-attached to the evaluation that is running for this project.', severity: 'info' });
      }
    } catch (e) {
      if (!this.disposed) this.error.set(e);
    }
  }

  /** Re-reads evaluation.list. */
  async refresh(): Promise<void> {
    try {
      const rs = await this.client.call('evaluation.list', { dir: this.dir });
      if (this.disposed) return;
      this.reports.set(rs);
      this.listError.set(null);
    } catch (e) {
      if (!this.disposed) this.listError.set(e);
    } finally {
      if (!this.disposed) this.loaded.set(true);
    }
  }

  get running(): boolean {
    return this.job.get() !== null || this.starting;
  }

  /** Starts an evaluation of the latest checkpoint or a snapshot; followed until it ends. */
  async start(o: EvaluateOptions = {}): Promise<void> {
    if (this.running) return;
    this.starting = true;
    this.error.set(null);
    this.note.set(null);
    this.early = [];
    try {
      const handle = await this.client.startJob('evaluation.start', evaluationRequest(this.dir, o), (p) => this.progress(p));
      if (this.disposed) return;
      const early = this.early.filter((p) => p.jobId === handle.jobId).at(-1) ?? null;
      this.early = [];
      this.job.set({ jobId: handle.jobId, label: evaluationLabel(o.snapshot), progress: early, cancelling: false });
      handle.result.then(
        (value) => this.finished(handle.jobId, { ok: true, value }),
        (error: unknown) => this.finished(handle.jobId, { ok: false, error }),
      );
    } catch (e) {
      if (!this.disposed) this.error.set(e);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    const j = this.job.get();
    if (!j || j.cancelling) return;
    this.job.set({ ...j, cancelling: true });
    try {
      await this.client.call('jobs.cancel', { jobId: j.jobId });
    } catch (e) {
      const now = this.job.get();
      if (now?.jobId === j.jobId) this.job.set({ ...now, cancelling: false });
      this.error.set(e);
    }
  }

  private progress(p: JobProgress): void {
    const j = this.job.get();
    if (!j) {
      if (this.starting && p.channel === 'evaluation.start') this.early.push(p);
      return;
    }
    if (p.jobId !== j.jobId) return;
    this.job.set({ ...j, progress: p });
  }

  private finished(jobId: string, r: Outcome): void {
    const j = this.job.get();
    if (!j || j.jobId !== jobId || this.disposed) return;
    this.job.set(null);
    if (r.ok) {
      const v = r.value;
      // Shown at once; the re-read list (the service keeps the report) replaces it.
      this.reports.update((rs) => [v, ...rs.filter((x) => x.createdAt !== v.createdAt)]);
      this.note.set({ text: `Evaluated ${v.checkpoint.snapshot ? `snapshot “${v.checkpoint.snapshot}”` : 'the latest checkpoint'} (step ${v.checkpoint.step}) on ${count(v.frames.evaluated, 'frame')}.`, severity: 'success' });
      void this.refresh();
      return;
    }
    if (r.error instanceof PortraitError && r.error.code === 'CANCELLED') {
      this.note.set({ text: 'Evaluation cancelled; no report was kept.', severity: 'info' });
      return;
    }
    this.error.set(r.error);
  }

  dispose(): void {
    this.disposed = true;
    this.offs.forEach((o) => o());
  }
}
