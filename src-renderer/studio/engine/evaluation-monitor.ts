/**
 * Evaluation of the open project's network, as the studio sees it: the reports kept in the
 * project (evaluation.list, newest first) and the running evaluation.start job (started here
 * or re-attached on open via jobs.list), followed by a JobFollower.
 * Owned by the TrainingMonitor; no React.
 */
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import type { EvaluationReport } from '../../../src-shared/evaluation/schema.js';
import type { RequestOf } from '../../../src-shared/ipc/contract.js';
import { Atom } from './atom.js';
import { JobFollower, type FollowedJob, type JobEnd } from './job-follower.js';
import { pickEvaluationJob } from './quality-format.js';
import { count } from '../../../src-shared/text/count.js';

export type EvaluationJob = FollowedJob<'evaluation.start'>;

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

export class EvaluationMonitor {
  /** Reports kept in the project, newest first. */
  readonly reports = new Atom<EvaluationReport[]>([]);
  readonly listError = new Atom<unknown>(null);
  /** False until the first evaluation.list answered (or failed). */
  readonly loaded = new Atom<boolean>(false);
  readonly job: Atom<EvaluationJob | null>;
  readonly error = new Atom<unknown>(null);
  readonly note = new Atom<EvaluationNote | null>(null);
  /** The "pixels only (fast)" option, shared by the section's button and the snapshot list. */
  readonly pixelsOnly = new Atom<boolean>(false);
  private readonly follower: JobFollower<'evaluation.start'>;
  private disposed = false;

  constructor(
    private readonly client: PortraitClient,
    private readonly dir: string,
  ) {
    this.follower = new JobFollower(client, 'evaluation.start', { pick: (jobs) => pickEvaluationJob(jobs, dir), onEnd: (e) => this.finished(e) });
    this.job = this.follower.job;
  }

  /** Reads the kept reports and re-attaches to an evaluation running for this project. */
  async open(): Promise<void> {
    await this.refresh();
    const j = await this.follower.attach();
    if (j && j.request === null && !this.disposed) this.note.set({ text: 'Re-attached to the evaluation that is running for this project.', severity: 'info' });
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
    return this.follower.busy;
  }

  /** Starts an evaluation of the latest checkpoint or a snapshot; followed until it ends. */
  async start(o: EvaluateOptions = {}): Promise<void> {
    if (this.running) return;
    this.error.set(null);
    this.note.set(null);
    await this.follower.start(evaluationRequest(this.dir, o), evaluationLabel(o.snapshot));
  }

  async cancel(): Promise<void> {
    try {
      await this.follower.cancel();
    } catch (e) {
      this.error.set(e);
    }
  }

  private finished(end: JobEnd<'evaluation.start'>): void {
    if (this.disposed) return;
    if (end.kind === 'succeeded') {
      const v = end.value;
      // Shown at once; the re-read list (the service keeps the report) replaces it.
      this.reports.update((rs) => [v, ...rs.filter((x) => x.createdAt !== v.createdAt)]);
      this.note.set({ text: `Evaluated ${v.checkpoint.snapshot ? `snapshot “${v.checkpoint.snapshot}”` : 'the latest checkpoint'} (step ${v.checkpoint.step}) on ${count(v.frames.evaluated, 'frame')}.`, severity: 'success' });
      void this.refresh();
      return;
    }
    if (end.kind === 'cancelled') {
      this.note.set({ text: 'Evaluation cancelled; no report was kept.', severity: 'info' });
      return;
    }
    this.error.set(end.error);
  }

  dispose(): void {
    this.disposed = true;
    this.follower.dispose();
  }
}
