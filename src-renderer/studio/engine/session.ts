/**
 * One open project in the studio: loads the saved edits and the tracked curves, builds the
 * editor over them, persists edits (debounced, and flushed on blur/unload), and reloads
 * the curves when tracking finishes. Talks only to the typed contract client.
 */
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import type { ProjectInfo, TrackingData } from '../../../src-shared/ipc/contract.js';
import { fetchTrackingData } from '../../../src-shared/tracks/fetch-tracking.js';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import { emptyEdits, type TimelineEdits } from '../../../src-shared/timeline/index.js';
import { Atom } from './atom.js';
import { StudioEditor } from './editor.js';
import { Saver } from './saver.js';
import { baseFromTracking } from './tracks.js';
import { TrainingMonitor } from './training-monitor.js';
import { JobFollower, runningJobs } from './job-follower.js';

export type TrackingState = { kind: 'loading' } | { kind: 'none' } | { kind: 'ready'; data: TrackingData } | { kind: 'error'; error: unknown };

export class StudioSession {
  readonly editor: StudioEditor;
  readonly saver: Saver<TimelineEdits>;
  readonly tracking: Record<VideoRole, Atom<TrackingState>> = {
    target: new Atom<TrackingState>({ kind: 'loading' }),
    source: new Atom<TrackingState>({ kind: 'loading' }),
  };
  /** Why edits cannot be loaded/saved (then the studio edits in memory only and says so). */
  readonly editsError = new Atom<unknown>(null);
  /** Training of this project (re-attaches to a running job on open). */
  readonly training: TrainingMonitor;
  /** Tracking of each video and the final cut's render: jobs followed here, re-attached on open. */
  readonly trackingJob: Record<VideoRole, JobFollower<'tracking.start'>>;
  readonly renderJob: JobFollower<'render.start'>;
  private canSave: boolean;

  private constructor(
    private readonly client: PortraitClient,
    readonly info: ProjectInfo,
    edits: TimelineEdits,
    editsError: unknown,
  ) {
    const probe = info.project.media.target?.probe;
    const base = baseFromTracking(null, probe?.fps ?? 25, probe?.frameCount ?? 0);
    this.canSave = !editsError;
    this.editsError.set(editsError);
    this.saver = new Saver((e) => client.call('timeline.save', { dir: info.dir, edits: e }).then((r) => r.savedAt), 300);
    this.editor = new StudioEditor({ base, edits }, (e) => {
      if (this.canSave) this.saver.schedule(e);
    });
    this.training = new TrainingMonitor(client, info.dir);
    const tracking = (role: VideoRole) =>
      new JobFollower(client, 'tracking.start', {
        pick: (jobs) => runningJobs(jobs, 'tracking.start', info.dir, role).at(-1) ?? null,
        // However it ended, what was tracked is on disk: the curves show it.
        onEnd: () => void this.reloadTracking(role),
      });
    this.trackingJob = { target: tracking('target'), source: tracking('source') };
    this.renderJob = new JobFollower(client, 'render.start', { pick: (jobs) => runningJobs(jobs, 'render.start', info.dir).at(-1) ?? null });
  }

  static async open(client: PortraitClient, info: ProjectInfo): Promise<StudioSession> {
    let edits = emptyEdits();
    let err: unknown = null;
    try {
      const r = await client.call('timeline.load', { dir: info.dir });
      edits = r.edits;
    } catch (e) {
      err = e;
    }
    const s = new StudioSession(client, info, edits, err);
    await Promise.all([s.reloadTracking('target'), s.reloadTracking('source')]);
    void s.training.open();
    for (const f of [s.trackingJob.target, s.trackingJob.source, s.renderJob]) void f.attach();
    return s;
  }

  /**
   * Re-reads a video's tracking (after a tracking job): the target's curves become the base;
   * the source's curves feed transfer (the base then shows the source's motion on the target).
   */
  async reloadTracking(role: VideoRole): Promise<void> {
    const media = this.info.project.media[role];
    const atom = this.tracking[role];
    if (!media) {
      atom.set({ kind: 'none' });
      if (role === 'source') this.editor.setSource(null);
      return;
    }
    try {
      // By chunks of frames, decoded as they come (a long clip's curves never sit in one reply).
      const data = await fetchTrackingData(this.client, this.info.dir, role);
      atom.set(data.status.some((s) => s === 1) ? { kind: 'ready', data } : { kind: 'none' });
      if (role === 'target') {
        this.editor.setBase(baseFromTracking(data, media.probe.fps, media.probe.frameCount));
      } else {
        this.editor.setSource(data.status.some((s) => s === 1) ? baseFromTracking(data, media.probe.fps, media.probe.frameCount) : null);
      }
    } catch (e) {
      atom.set({ kind: 'error', error: e });
      if (role === 'source') this.editor.setSource(null);
    }
  }

  /** Writes pending edits now (blur, unload); a failure shows in the save status and is retried. */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  /** Writes pending edits now and fails if they could not be written (closing the project). */
  flushOrThrow(): Promise<void> {
    return this.saver.flushOrThrow();
  }

  dispose(): void {
    void this.saver.flush();
    this.saver.dispose();
    this.editor.dispose();
    this.training.dispose();
    this.trackingJob.target.dispose();
    this.trackingJob.source.dispose();
    this.renderJob.dispose();
  }
}
