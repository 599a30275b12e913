/**
 * Training of the open project, as the studio sees it. The job lives in main (it survives
 * closing the page), so the monitor re-attaches to a running one on open (jobs.list), follows
 * it through job.progress / job.finished events, and re-reads training.status (history,
 * checkpoints, snapshots, sample grid) when a run starts, validates or ends.
 */
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RequestOf, TrainingMetrics, TrainingStatus, TrainingResult } from '../../../src-shared/ipc/contract.js';
import type { JobProgress } from '../../../src-shared/jobs/schema.js';
import { Atom } from './atom.js';
import { EvaluationMonitor } from './evaluation-monitor.js';
import { livePastHistory, metricsFromProgress, pickTrainingJob } from './training-series.js';
import { Coalescer, UI_PROGRESS_INTERVAL_MS } from './coalesce.js';

export interface TrainingJob {
  jobId: string;
  progress: JobProgress | null;
  /** Cancel sent; the worker is writing its checkpoint. */
  pausing: boolean;
}

export type TrainingNote = { text: string; severity: 'info' | 'success' | 'warning' };

type StartOptions = Omit<RequestOf<'training.start'>, 'dir'>;

export class TrainingMonitor {
  readonly status = new Atom<TrainingStatus | null>(null);
  readonly statusError = new Atom<unknown>(null);
  readonly job = new Atom<TrainingJob | null>(null);
  /** Metrics of the run followed live (since attaching), newest last. */
  readonly live = new Atom<TrainingMetrics[]>([]);
  readonly error = new Atom<unknown>(null);
  readonly note = new Atom<TrainingNote | null>(null);
  /** Quality of the trained network: kept evaluation reports and the running evaluation. */
  readonly evaluation: EvaluationMonitor;
  private readonly offs: Array<() => void> = [];
  private disposed = false;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private lastValidatedStep = -1;
  /** Progress reaches the atoms (and so the charts) at most twice a second, however fast the steps. */
  private readonly progressBatch = new Coalescer<JobProgress>((ps) => this.applyProgress(ps), UI_PROGRESS_INTERVAL_MS);

  constructor(
    private readonly client: PortraitClient,
    private readonly dir: string,
  ) {
    this.evaluation = new EvaluationMonitor(client, dir);
    this.offs.push(
      client.on('job.progress', (p) => {
        const j = this.job.get();
        if (j && p.jobId === j.jobId) this.progressBatch.push(p);
      }),
      client.on('job.finished', (f) => {
        const j = this.job.get();
        if (!j || f.jobId !== j.jobId) return;
        if (f.state === 'succeeded') this.finished(j.jobId, { ok: true, value: f.result as TrainingResult });
        else if (f.state === 'cancelled') this.finished(j.jobId, { ok: false, error: new PortraitError('CANCELLED', 'cancelled') });
        else this.finished(j.jobId, { ok: false, error: f.error ? new PortraitError(f.error.code, f.error.message, f.error.details) : new PortraitError('INTERNAL', 'Training failed') });
      }),
    );
  }

  private applyProgress(ps: JobProgress[]): void {
    const j = this.job.get();
    if (!j || this.disposed) return;
    const mine = ps.filter((p) => p.jobId === j.jobId);
    if (mine.length === 0) return;
    this.job.set({ ...j, progress: mine[mine.length - 1]! });
    const ms = mine.map(metricsFromProgress).filter((m): m is TrainingMetrics => m !== null);
    if (ms.length === 0) return;
    const first = ms[0]!.step;
    // A resumed or rolled-back run repeats steps: its points replace the live ones from there on.
    this.live.update((xs) => [...(xs.length && xs[xs.length - 1]!.step >= first ? xs.filter((x) => x.step < first) : xs), ...ms]);
    // A validation step also wrote a new sample grid: re-read the status for it.
    const validated = ms.filter((m) => m.psnr !== undefined).pop();
    if (validated && validated.step !== this.lastValidatedStep) {
      this.lastValidatedStep = validated.step;
      void this.refresh();
    }
  }

  /** Reads the project's training state and re-attaches to a running training job. */
  async open(): Promise<void> {
    void this.evaluation.open();
    await this.refresh();
    try {
      const jobs = await this.client.call('jobs.list', {});
      const st = this.status.get();
      if (st?.running && !this.job.get()) {
        const j = pickTrainingJob(jobs, st.lastStep, this.dir);
        if (j) {
          this.job.set({ jobId: j.jobId, progress: j.progress, pausing: false });
          const m = metricsFromProgress(j.progress);
          if (m) this.live.set([m]);
          this.note.set({ text: 'Re-attached to the training that is running for this project.', severity: 'info' });
        }
      }
    } catch (e) {
      this.error.set(e);
    }
  }

  /** Re-reads training.status (coalesced: one call in flight, one queued). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          const s = await this.client.call('training.status', { dir: this.dir });
          if (this.disposed) return;
          this.status.set(s);
          this.live.update((xs) => livePastHistory(s.history, xs));
          this.statusError.set(null);
        } catch (e) {
          if (!this.disposed) this.statusError.set(e);
        }
      } while (this.refreshAgain && !this.disposed);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  get running(): boolean {
    return this.job.get() !== null;
  }

  /** Starts (or resumes, or rolls back) training; the job is followed until it ends. */
  async start(opts: StartOptions, note: string): Promise<void> {
    if (this.job.get()) return;
    this.error.set(null);
    this.note.set({ text: note, severity: 'info' });
    this.live.set([]);
    this.lastValidatedStep = -1;
    const fresh = opts.resume === false || !!opts.fromSnapshot;
    try {
      const handle = await this.client.startJob('training.start', { dir: this.dir, ...opts });
      this.job.set({ jobId: handle.jobId, progress: null, pausing: false });
      // A restart or roll back replaces the saved history: drop it here; the next read (at the
      // first validation or the end) comes after the service has rewritten it.
      const st = this.status.get();
      if (fresh && st) this.status.set({ ...st, history: [] });
      else void this.refresh();
      handle.result.then(
        (value) => this.finished(handle.jobId, { ok: true, value }),
        (error: unknown) => this.finished(handle.jobId, { ok: false, error }),
      );
    } catch (e) {
      this.note.set(null);
      this.error.set(e);
    }
  }

  /** Pause = cancel: the worker writes a checkpoint and the next start resumes from it. */
  async pause(): Promise<void> {
    const j = this.job.get();
    if (!j || j.pausing) return;
    this.job.set({ ...j, pausing: true });
    try {
      await this.client.call('jobs.cancel', { jobId: j.jobId });
    } catch (e) {
      this.job.set({ ...j, pausing: false });
      this.error.set(e);
    }
  }

  async snapshot(name: string): Promise<boolean> {
    this.error.set(null);
    try {
      const s = await this.client.call('training.snapshot', { dir: this.dir, name });
      this.note.set({ text: `Snapshot "${s.name}" kept at step ${s.step}.`, severity: 'success' });
      await this.refresh();
      return true;
    } catch (e) {
      this.error.set(e);
      return false;
    }
  }

  private finished(jobId: string, r: { ok: true; value: TrainingResult } | { ok: false; error: unknown }): void {
    const j = this.job.get();
    if (!j || j.jobId !== jobId || this.disposed) return;
    // The last live points reach the charts before the end is shown.
    this.progressBatch.flush();
    this.job.set(null);
    if (r.ok && r.value.stoppedBy === 'steps') {
      const v = r.value;
      this.note.set({ text: `Training reached step ${v.step} (${v.backend}).${v.validation ? ` Held-out PSNR ${v.validation.psnr.toFixed(2)} dB, SSIM ${v.validation.ssim.toFixed(3)}.` : ''}`, severity: 'success' });
      void this.refresh();
      return;
    }
    const cancelled = r.ok || (r.error instanceof PortraitError && r.error.code === 'CANCELLED');
    if (!cancelled) {
      this.note.set(null);
      this.error.set(r.error);
      void this.refresh();
      return;
    }
    // Paused: the step that counts is the checkpoint the worker wrote on its way out.
    this.note.set({ text: 'Paused; reading the checkpoint…', severity: 'info' });
    void this.refresh().then(() => {
      if (this.job.get()) return;
      const step = r.ok ? r.value.step : this.status.get()?.lastStep;
      this.note.set({ text: `Paused at step ${step ?? 0}. Resume continues from its checkpoint.`, severity: 'info' });
      // Live points past the checkpoint were not saved: drop them so the charts match what resumes.
      if (step !== undefined && step !== null) this.live.update((xs) => xs.filter((x) => x.step <= step));
    });
  }

  dispose(): void {
    this.disposed = true;
    this.progressBatch.cancel();
    this.offs.forEach((o) => o());
    this.evaluation.dispose();
  }
}
