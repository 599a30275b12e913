import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { PortraitError } from '../../src-shared/ipc/errors.js';
import type { AppInfo } from '../../src-shared/ipc/contract.js';
import { JobRunner } from './jobs/job-runner.js';
import { BusyPaths } from './jobs/busy-paths.js';
import { replaceMediaData } from './project/replace-media.js';
import { resolveFfmpeg } from './media/ffmpeg.js';
import { hashFile } from './media/hash-file.js';
import { probeMedia } from './media/probe.js';
import { ProjectStore } from './project/project-store.js';
import { browseRoots, listFolder } from './files/list-folder.js';
import { FileRecentBackend, RecentProjects, type RecentBackend } from './project/recent-store.js';
import { ServiceRegistry } from './registry/registry.js';
import { APP_VERSION } from './version.js';
import { runTracking, trackingData, trackingOverlay, pngDataUrl } from './tracking/tracking-service.js';
import { readFrame } from './video/decode.js';
import { conditioningImages } from './timeline/conditioning-service.js';
import { inferFrame, runTraining, takeSnapshot, trainingBackend, trainingStatus } from './training/training-service.js';
import { InferenceHost } from './training/inference-host.js';
import { precheckRender, runRender } from './render/render-service.js';
import { listRenders } from './render/render-history.js';
import { listEvaluations, runEvaluation } from './evaluation/evaluation-service.js';
import { parseEdits, serializeEdits } from '../../src-shared/timeline/index.js';

export interface StudioOptions {
  mode: AppInfo['mode'];
  recentBackend?: RecentBackend;
  /** Shown in lock files: which app instance holds a project. */
  owner?: string;
  /**
   * Where the browser-mode file picker may browse besides the open projects: the home folder by
   * default; a host confined with --projects-root passes those folders instead.
   */
  fileRoots?: readonly string[];
}

export interface Studio {
  registry: ServiceRegistry;
  runner: JobRunner;
  store: ProjectStore;
  recent: RecentProjects;
  dispose(): Promise<void>;
}

/**
 * Channels that do not need their project open: creating and opening one, closing, reading a
 * folder's project summary, and those that name no project. Every other channel with a `dir`
 * refuses a project this session has not opened (PROJECT_NOT_OPEN).
 */
const OPEN_NOT_REQUIRED: ReadonlySet<string> = new Set(['app.info', 'media.probe', 'files.list', 'training.backend', 'project.create', 'project.open', 'project.close', 'project.info', 'project.recent', 'jobs.list', 'jobs.cancel']);

/** Wires every service into one registry; both transports and the CLI start here. */
export function createStudio(opts: StudioOptions): Studio {
  const runner = new JobRunner();
  const recent = new RecentProjects(opts.recentBackend ?? new FileRecentBackend());
  const store = new ProjectStore({
    owner: opts.owner ?? `Portrait Studio ${opts.mode} (pid ${process.pid})`,
    onOpened: (dir, p) => recent.touch(dir, p.name),
  });
  const registry = new ServiceRegistry(runner);
  // Conflicts are decided on canonical paths (dir, dir/ and a link to it are one project).
  const training = new BusyPaths();
  const evaluating = new BusyPaths();
  const tracking = new BusyPaths();
  const rendering = new BusyPaths();
  const importing = new BusyPaths();
  const inference = new InferenceHost();
  const owner = opts.owner ?? `Portrait Studio ${opts.mode} (pid ${process.pid})`;

  // The path policy (issue 15): a channel that names a project acts only on one this session
  // has created or opened (and holds the lock of); these few take folders or files by design.
  registry.guard((channel, req) => {
    if (OPEN_NOT_REQUIRED.has(channel)) return;
    const dir = (req as { dir?: unknown }).dir;
    if (typeof dir === 'string' && !store.isOpen(dir)) {
      throw new PortraitError('PROJECT_NOT_OPEN', `The project ${dir} is not open in this session: open it first (project.open), then try again.`);
    }
  });
  registry
    .handle('app.info', () => {
      let ffmpeg: AppInfo['ffmpeg'];
      try {
        const f = resolveFfmpeg();
        ffmpeg = { available: true, source: f.source, detail: f.path };
      } catch (e) {
        ffmpeg = { available: false, source: null, detail: (e as Error).message };
      }
      return {
        name: 'Portrait Studio',
        version: APP_VERSION,
        mode: opts.mode,
        platform: `${platform()} ${process.arch}, node ${process.versions.node}`,
        ffmpeg,
        defaultProjectsDir: join(homedir(), 'Portrait Studio'),
      };
    })
    .handle('media.probe', (req) => probeMedia(req.path))
    .handle('files.list', (req) => listFolder(req, browseRoots(opts.fileRoots ?? [homedir()], homedir(), store.openDirs())))
    .handle('project.create', (req) => store.create(req.dir, req.name))
    .handle('project.open', (req) => store.openProject(req.dir))
    .handle('project.info', (req) => store.info(req.dir))
    .handle('project.close', async (req) => ({ closed: await store.close(req.dir) }))
    .handle('project.recent', () => recent.list())
    .handle('media.frame', async (req) => {
      const project = (await store.info(req.dir)).project;
      const m = project.media[req.role];
      if (!m) throw new PortraitError('BAD_REQUEST', `The project has no ${req.role} video yet.`);
      if (req.frame >= m.probe.frameCount) throw new PortraitError('BAD_REQUEST', `Frame ${req.frame} is past the end (${m.probe.frameCount} frames).`);
      const max = req.maxSize ?? 4096;
      const f = await readFrame(m.path, req.frame, { fps: m.probe.fps, maxWidth: max, maxHeight: max });
      return { width: f.width, height: f.height, dataUrl: pngDataUrl(f.data, f.width, f.height) };
    })
    .handle('tracking.data', async (req) => trackingData(req.dir, (await store.info(req.dir)).project, req.role, req))
    .handle('tracking.overlay', async (req) => trackingOverlay(req.dir, (await store.info(req.dir)).project, req.role, req.frame))
    .handle('conditioning.frame', async (req) => conditioningImages(req.dir, (await store.info(req.dir)).project, req.frame, req.size ?? 256))
    .handle('training.status', async (req) => trainingStatus(req.dir, training.has(BusyPaths.key(req.dir))))
    .handle('training.snapshot', async (req) => takeSnapshot(req.dir, req.name))
    .handle('training.backend', () => trainingBackend())
    .handle('inference.frame', async (req) => inferFrame(inference, req.dir, req.frame))
    .job('training.start', {
      label: (req) => `Train target actor (${req.profile ?? 'project profile'})`,
      precheck: (req) => {
        if (importing.has(BusyPaths.key(req.dir, 'target'))) throw new PortraitError('JOB_CONFLICT', 'The target video is being imported; train once the import is done.');
        training.claim(req, BusyPaths.key(req.dir), 'This project is already training; cancel that run first.');
      },
      run: (req, ctx) => training.hold(req, () => runTraining(req, owner, ctx)),
    })
    .handle('evaluation.list', (req) => listEvaluations(req.dir))
    .job('evaluation.start', {
      label: (req) => `Evaluate ${req.snapshot ? `snapshot ${req.snapshot}` : 'latest checkpoint'}`,
      precheck: (req) => evaluating.claim(req, BusyPaths.key(req.dir), 'This project is already being evaluated; wait for that run or cancel it.'),
      run: (req, ctx) => evaluating.hold(req, () => runEvaluation(req, ctx)),
    })
    .handle('render.list', (req) => listRenders(req.dir))
    .job('render.start', {
      label: (req) => `Render ${req.out.split(/[\\/]/).pop()}`,
      subject: (req) => req.out,
      precheck: async (req) => {
        await precheckRender(req);
        rendering.claim(req, BusyPaths.key(req.out), `${req.out} is already being rendered; wait for that render or cancel it.`);
      },
      run: (req, ctx) => rendering.hold(req, () => runRender(req, ctx)),
    })
    .handle('timeline.load', async (req) => ({ edits: parseEdits((await store.info(req.dir)).project.edits) }))
    // The contract validated the edits against their schema: what arrives here is well formed.
    .handle('timeline.save', async (req) => {
      const edits = serializeEdits(req.edits);
      const p = await store.update(req.dir, (proj) => {
        proj.edits = edits;
      });
      return { savedAt: p.updatedAt };
    })
    .job('tracking.start', {
      label: (req) => `Track ${req.role} video`,
      subject: (req) => req.role,
      precheck: (req) => {
        if (importing.has(BusyPaths.key(req.dir, req.role))) throw new PortraitError('JOB_CONFLICT', `The ${req.role} video is being imported; track it once the import is done.`);
        tracking.claim(req, BusyPaths.key(req.dir, req.role), `The ${req.role} video of this project is already being tracked.`);
      },
      run: (req, ctx) =>
        tracking.hold(req, async () => {
          if (!store.isOpen(req.dir)) await store.openProject(req.dir);
          return await runTracking(req.dir, store.get(req.dir), req.role, req.restart ?? false, ctx);
        }),
    })
    .handle('jobs.list', () => runner.list())
    .handle('jobs.cancel', (req) => ({ cancelled: runner.cancel(req.jobId) }))
    .job('project.importVideo', {
      label: (req) => `Import ${req.role} video`,
      subject: (req) => req.role,
      precheck: (req) => {
        if (runner.running('project.importVideo').length > 3) {
          throw new PortraitError('JOB_CONFLICT', 'Several imports are already running; wait for them to finish.');
        }
        // Importing moves the old video's tracking (and the target's checkpoints) aside: not under a job using them.
        if (tracking.has(BusyPaths.key(req.dir, req.role))) {
          throw new PortraitError('JOB_CONFLICT', `The ${req.role} video of this project is being tracked; cancel that first, then replace it.`);
        }
        if (req.role === 'target' && (training.has(BusyPaths.key(req.dir)) || evaluating.has(BusyPaths.key(req.dir)))) {
          throw new PortraitError('JOB_CONFLICT', 'This project is training or being evaluated on its target video; cancel that first, then replace it.');
        }
        importing.claim(req, BusyPaths.key(req.dir, req.role), `The ${req.role} video of this project is already being imported; wait for that import or cancel it.`);
      },
      run: (req, ctx) => importing.hold(req, async () => {
        ctx.progress(0, 1, 'Probing video');
        const probe = await probeMedia(req.path, ctx.signal);
        ctx.throwIfCancelled();
        const { sha256, size } = await hashFile(probe.path, {
          signal: ctx.signal,
          onProgress: (done, total) => ctx.progress(done, total, 'Hashing video'),
        });
        ctx.throwIfCancelled();
        const ref = { path: probe.path, sha256, sizeBytes: size, importedAt: new Date().toISOString(), probe };
        if (!store.isOpen(req.dir)) await store.openProject(req.dir);
        // A different video: the old one's tracking (and checkpoints) must not pass for the new one's.
        const replaced = await replaceMediaData(req.dir, store.get(req.dir), req.role, ref);
        await store.update(req.dir, (p) => {
          p.media[req.role] = ref;
          if (replaced.transfer) p.edits = { ...parseEdits(p.edits), transfer: replaced.transfer } as unknown as typeof p.edits;
        });
        ctx.progress(1, 1, 'Imported');
        return { ...ref, ...(replaced.message ? { notice: replaced.message } : {}) };
      }),
    });

  return {
    registry,
    runner,
    store,
    recent,
    dispose: async () => {
      await runner.shutdown();
      await inference.close();
      await store.closeAll();
    },
  };
}
