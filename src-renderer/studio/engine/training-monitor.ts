/**
 * Training of the open project, as the studio sees it. The job lives in main (it survives
 * closing the page), so the monitor re-attaches to a running one on open (jobs.list), follows
 * it through a JobFollower (as tracking, evaluation and render are), and re-reads training.status (history,
 * checkpoints, snapshots, sample grid) when a run starts, validates or ends.
 */
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import type { RequestOf, TrainingMetrics, TrainingStatus } from '../../../src-shared/ipc/contract.js';
import type { JobProgress } from '../../../src-shared/jobs/schema.js';
import { Atom } from './atom.js';
import { EvaluationMonitor } from './evaluation-monitor.js';
import { livePastHistory, metricsFromProgress, pickTrainingJob } from './training-series.js';
import { JobFollower, type FollowedJob, type JobEnd } from './job-follower.js';

/** The training job followed; `cancelling`: pause sent, the worker is writing its checkpoint. */
export type TrainingJob = FollowedJob<'training.start'>;

export type TrainingNote = { text: string; severity: 'info' | 'success' | 'warning' };

type StartOptions = Omit<RequestOf<'training.start'>, 'dir'>;

export class TrainingMonitor {
  readonly status = new Atom<TrainingStatus | null>(null);
  readonly statusError = new Atom<unknown>(null);
  readonly job: Atom<TrainingJob | null>;
  /** Metrics of the run followed live (since attaching), newest last. */
  readonly live = new Atom<TrainingMetrics[]>([]);
  readonly error = new Atom<unknown>(null);
  readonly note = new Atom<TrainingNote | null>(null);
  /** Quality of the trained network: kept evaluation reports and the running evaluation. */
  readonly evaluation: EvaluationMonitor;
  private readonly follower: JobFollower<'training.start'>;
  private disposed = false;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  private lastValidatedStep = -1;

  constructor(
    private readonly client: PortraitClient,
    private readonly dir: string,
  ) {
    this.evaluation = new EvaluationMonitor(client, dir);
    this.follower = new JobFollower(client, 'training.start', {
      // Progress arrives in display-rate batches (at most twice a second), however fast the steps.
      onProgress: (ps) => this.applyProgress(ps),
      pick: (jobs) => (this.status.get()?.running ? pickTrainingJob(jobs, this.status.get()!.lastStep, dir) : null),
      onEnd: (e) => this.finished(e),
    });
    this.job = this.follower.job;
  }

  private applyProgress(mine: JobProgress[]): void {
    if (this.disposed) return;
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
    const j = await this.follower.attach();
    if (j && j.request === null && !this.disposed) {
      const m = metricsFromProgress(j.progress);
      if (m) this.live.set([m]);
      this.note.set({ text: 'Re-attached to the training that is running for this project.', severity: 'info' });
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
    return this.follower.busy;
  }

  /** Starts (or resumes, or rolls back) training; the job is followed until it ends. */
  async start(opts: StartOptions, note: string): Promise<void> {
    if (this.running) return;
    this.error.set(null);
    this.note.set({ text: note, severity: 'info' });
    this.live.set([]);
    this.lastValidatedStep = -1;
    const fresh = opts.resume === false || !!opts.fromSnapshot;
    await this.follower.start({ dir: this.dir, ...opts }, `Train target actor (${opts.profile ?? 'project profile'})`);
    if (!this.job.get() || this.disposed) return;
    // A restart or roll back replaces the saved history: drop it here; the next read (at the
    // first validation or the end) comes after the service has rewritten it.
    const st = this.status.get();
    if (fresh && st) this.status.set({ ...st, history: [] });
    else void this.refresh();
  }

  /** Pause = cancel: the worker writes a checkpoint and the next start resumes from it. */
  async pause(): Promise<void> {
    try {
      await this.follower.cancel();
    } catch (e) {
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

  private finished(end: JobEnd<'training.start'>): void {
    if (this.disposed) return;
    if (end.kind === 'succeeded' && end.value.stoppedBy === 'steps') {
      const v = end.value;
      this.note.set({ text: `Training reached step ${v.step} (${v.backend}).${v.validation ? ` Held-out PSNR ${v.validation.psnr.toFixed(2)} dB, SSIM ${v.validation.ssim.toFixed(3)}.` : ''}`, severity: 'success' });
      void this.refresh();
      return;
    }
    if (end.kind === 'failed') {
      this.note.set(null);
      this.error.set(end.error);
      void this.refresh();
      return;
    }
    // Paused: the step that counts is the checkpoint the worker wrote on its way out.
    this.note.set({ text: 'Paused; reading the checkpoint…', severity: 'info' });
    void this.refresh().then(() => {
      if (this.job.get()) return;
      const step = end.kind === 'succeeded' ? end.value.step : this.status.get()?.lastStep;
      this.note.set({ text: `Paused at step ${step ?? 0}. Resume continues from its checkpoint.`, severity: 'info' });
      // Live points past the checkpoint were not saved: drop them so the charts match what resumes.
      if (step !== undefined && step !== null) this.live.update((xs) => xs.filter((x) => x.step <= step));
    });
  }

  dispose(): void {
    this.disposed = true;
    this.follower.dispose();
    this.evaluation.dispose();
  }
}
