import { z } from 'zod';
import { job, request, type AnyChannel } from './channel.js';
import { JobFinished, JobProgress, JobStarted, JobSummary } from '../jobs/schema.js';
import { MediaInfo } from '../media/schema.js';
import { MediaRef, ProjectFile, VideoRole } from '../project/schema.js';
import { EvaluationReport, EvaluationRequest } from '../evaluation/schema.js';

import { AbsPath, SnapshotName } from './names.js';
import { TrackingDataRange, TrackingDataWire } from '../tracks/tracking-wire.js';
import { CODEC_IDS } from '../output/codecs.js';
import { farmUrlProblem } from '../output/farm-url.js';
import { BACKEND_IDS } from '../net/backends.js';
import { PROFILE_NAMES } from '../net/profiles.js';
import { TimelineEditsSchema } from '../timeline/edits/schema.js';
export { SnapshotName };

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** 'electron' when the studio runs in its own window, 'browser' when served by the host. */
  mode: z.enum(['electron', 'browser']),
  platform: z.string(),
  ffmpeg: z.object({ available: z.boolean(), source: z.string().nullable(), detail: z.string() }),
  /** Where "create project" proposes new folders. */
  defaultProjectsDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const RecentProject = z.object({
  dir: z.string(),
  name: z.string(),
  openedAt: z.string(),
});
export type RecentProject = z.infer<typeof RecentProject>;

/** What the file picker of browser mode may show (the Electron build uses the native dialog). */
export const FolderShow = z.enum(['video', 'folders', 'all']);
export const FolderEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['dir', 'file']),
  size: z.number().nullable(),
  mtimeMs: z.number().nullable(),
});
export const FolderListing = z.object({
  /** The folder listed (symbolic links resolved). */
  path: z.string(),
  /** Its parent when that is still inside a browsable root, else null. */
  parent: z.string().nullable(),
  /** Where browsing may start: the home folder (or the host's project roots) and the open projects. */
  roots: z.array(z.object({ label: z.string(), path: z.string() })),
  entries: z.array(FolderEntry),
  /** True when the folder held more entries than a listing returns. */
  truncated: z.boolean(),
});
export type FolderListing = z.infer<typeof FolderListing>;

export const ProjectCoverage = z.object({
  role: VideoRole,
  frames: z.number().int().nonnegative(),
  framesTracked: z.number().int().nonnegative(),
  framesWithFace: z.number().int().nonnegative(),
});

export const ProjectInfo = z.object({
  dir: z.string(),
  project: ProjectFile,
  /** True when the file on disk is an older version that will be migrated on the next save. */
  migratedFrom: z.number().int().nullable(),
  tracking: z.array(ProjectCoverage),
  training: z.object({
    checkpoints: z.number().int().nonnegative(),
    lastStep: z.number().int().nonnegative().nullable(),
  }),
  renders: z.array(z.object({ file: z.string(), sizeBytes: z.number().int().nonnegative(), modifiedAt: z.string() })),
});
export type ProjectInfo = z.infer<typeof ProjectInfo>;

export const CropBox = z.object({ x: z.number(), y: z.number(), size: z.number().positive() });
export type CropBox = z.infer<typeof CropBox>;

/** Per-video tracking result as the studio needs it: curves, coverage, the actor, crops. */
/**
 * tracking.data's reply: one range of frames as base64 typed arrays (src-shared/tracks/tracking-wire.ts);
 * fetchTrackingData (src-shared/tracks/fetch-tracking.ts) asks by chunks and gives TrackingData.
 */
export { TrackingDataRange, TrackingDataWire, TRACKING_DATA_MAX_FRAMES, type TrackingData } from '../tracks/tracking-wire.js';

export const TrackingResult = z.object({
  role: VideoRole,
  frames: z.number().int().nonnegative(),
  framesTracked: z.number().int().nonnegative(),
  framesWithFace: z.number().int().nonnegative(),
  /** Frames that were already tracked when this run started (resume). */
  resumedFrom: z.number().int().nonnegative(),
  warnings: z.array(z.string()),
  /** Where the time went: per-frame means of decode and detection (in the landmark workers) and fit. */
  timing: z.object({ wallSec: z.number(), decodeMsPerFrame: z.number(), detectMsPerFrame: z.number(), fitMsPerFrame: z.number() }).optional(),
});
export type TrackingResult = z.infer<typeof TrackingResult>;

export const ImageReply = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** data:image/png;base64,… (or jpeg) ready for an <img>. */
  dataUrl: z.string(),
});
export type ImageReply = z.infer<typeof ImageReply>;

export const TrainingMetrics = z.object({
  step: z.number().int().nonnegative(),
  lossG: z.number(),
  lossD: z.number(),
  lossL1: z.number(),
  stepsPerSec: z.number().nonnegative(),
  /** Validation on held-out frames, when measured at this step. */
  psnr: z.number().optional(),
  ssim: z.number().optional(),
  valL1: z.number().optional(),
});
export type TrainingMetrics = z.infer<typeof TrainingMetrics>;

export const SnapshotInfo = z.object({
  name: z.string(),
  step: z.number().int().nonnegative(),
  createdAt: z.string(),
  lossL1: z.number().nullable(),
  psnr: z.number().nullable(),
  thumbnail: z.string().nullable(),
});
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;

export const TrainingStatus = z.object({
  running: z.boolean(),
  profile: z.string().nullable(),
  backend: z.string().nullable(),
  backendReason: z.string().nullable(),
  lastStep: z.number().int().nonnegative().nullable(),
  checkpoints: z.array(z.object({ file: z.string(), step: z.number().int().nonnegative(), sizeBytes: z.number().int() })),
  snapshots: z.array(SnapshotInfo),
  history: z.array(TrainingMetrics),
  /** The latest sample grid: conditioning | output | ground truth, on a held-out frame. */
  sample: z.string().nullable(),
  dataset: z.object({ trainFrames: z.number().int(), heldOutFrames: z.number().int() }).nullable(),
});
export type TrainingStatus = z.infer<typeof TrainingStatus>;

export const TrainingResult = z.object({
  profile: z.string(),
  backend: z.string(),
  startStep: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  last: TrainingMetrics.nullable(),
  validation: z.object({ psnr: z.number(), ssim: z.number(), l1: z.number() }).nullable(),
  checkpoint: z.string().nullable(),
  stoppedBy: z.enum(['steps', 'cancel']),
});
export type TrainingResult = z.infer<typeof TrainingResult>;

/** A render farm (BullMQ on Redis) to render on instead of this machine; workers run `portrait worker --farm <url>`. */
export const RenderFarm = z.object({
  url: z.string().superRefine((url, ctx) => {
    const problem = farmUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** Frames per chunk: the unit a worker renders (and re-renders when it dies). */
  chunkFrames: z.number().int().min(1).max(100_000).default(100),
});
export type RenderFarm = z.infer<typeof RenderFarm>;

export const RenderRequest = z.object({
  dir: AbsPath,
  /** Output file (mp4/mov) or, for a PNG sequence, a folder. */
  out: AbsPath,
  /** Inclusive first and last target frame; default the whole video. */
  range: z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).optional(),
  /** Default: the target's audio when it has any, else none. */
  audio: z.enum(['target', 'source', 'none']).optional(),
  codec: z.enum(CODEC_IDS).default('h264'),
  /** H.264 quality (lower is better); ignored for ProRes/PNG. */
  crf: z.number().int().min(0).max(51).default(18),
  /** full: synthesized face pasted into the original frame; crop: the network's crop only; compare: source | conditioning | output. */
  layout: z.enum(['full', 'crop', 'compare']).default('full'),
  /** Match the synthesized crop's colour to the original at the seam. */
  colorMatch: z.boolean().default(true),
  /** Refuse to replace an existing file unless true. */
  overwrite: z.boolean().default(false),
  /** Synthesize a face (from interpolated curves) on frames where tracking found none; default: pass those frames through untouched. */
  fillMissingFaces: z.boolean().default(false),
  /** Render on a farm of workers (see RenderFarm); absent: on this machine. */
  farm: RenderFarm.optional(),
});
export type RenderRequest = z.infer<typeof RenderRequest>;

export const RenderResult = z.object({
  file: z.string(),
  frames: z.number().int().nonnegative(),
  fps: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  audio: z.enum(['target', 'source', 'none']),
  seconds: z.number().nonnegative(),
  checkpointStep: z.number().int().nonnegative(),
});
export type RenderResult = z.infer<typeof RenderResult>;

/** A render the studio made for this project (kept in <project>/renders.json), as it is on disk now. */
export const RenderEntry = z.object({
  file: z.string(),
  codec: z.enum(CODEC_IDS),
  layout: z.enum(['full', 'crop', 'compare']),
  frames: z.number().int().nonnegative(),
  fps: z.number().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  audio: z.enum(['target', 'source', 'none']),
  checkpointStep: z.number().int().nonnegative(),
  renderedAt: z.string(),
  /** Bytes on disk now (a PNG folder: all its frames); null when the file is gone. */
  size: z.number().nullable(),
});
export type RenderEntry = z.infer<typeof RenderEntry>;

export const ProfileName = z.enum(PROFILE_NAMES);

/**
 * The whole contract between the studio UI (or any client) and the services.
 * Both transports (Electron IPC, WebSocket host) serve exactly this record.
 */
/** What training.backend answers: the backend found and the profile a new project defaults to. */
export const TrainingBackend = z.object({
  backend: z.enum(BACKEND_IDS),
  reason: z.string(),
  gpu: z.boolean(),
  profile: z.enum(['cpu', 'light']),
  why: z.string(),
});
export type TrainingBackend = z.infer<typeof TrainingBackend>;

export const contract = {
  'app.info': request({ doc: 'Versions, mode and native pieces found', request: z.object({}), reply: AppInfo }),
  'media.probe': request({
    doc: 'Probe a video file (duration, fps, size, rotation, audio) through ffmpeg',
    request: z.object({ path: AbsPath }),
    reply: MediaInfo,
  }),
  'project.create': request({
    doc: 'Create a new project folder (refuses a folder that already holds a project)',
    request: z.object({ dir: AbsPath, name: z.string().min(1).max(200).optional() }),
    reply: ProjectInfo,
  }),
  'project.open': request({
    doc: 'Open an existing project folder, migrating an older format in memory',
    request: z.object({ dir: AbsPath }),
    reply: ProjectInfo,
  }),
  'project.info': request({
    doc: 'Media, tracking coverage, training state and renders of a project',
    request: z.object({ dir: AbsPath }),
    reply: ProjectInfo,
  }),
  'project.close': request({
    doc: 'Release the project lock held by this app',
    request: z.object({ dir: AbsPath }),
    reply: z.object({ closed: z.boolean() }),
  }),
  'files.list': request({
    doc: 'List a folder for the browser-mode file picker: only inside the home folder (or the host\'s --projects-root folders) and the open projects',
    request: z.object({ path: AbsPath.optional(), show: FolderShow.default('all') }),
    reply: FolderListing,
  }),
  'project.recent': request({
    doc: 'Recently opened projects, newest first (missing folders are dropped)',
    request: z.object({}),
    reply: z.array(RecentProject),
  }),
  'project.importVideo': job({
    doc: 'Probe and hash a video and attach it to the project as target or source',
    request: z.object({ dir: AbsPath, role: VideoRole, path: AbsPath }),
    result: MediaRef.extend({
      /** replacing a different video: where its old tracking (and checkpoints) went, or what came back */
      notice: z.string().optional(),
    }),
  }),
  'media.frame': request({
    doc: 'One decoded video frame of the project (frame-accurate), scaled to fit maxSize',
    request: z.object({ dir: AbsPath, role: VideoRole, frame: z.number().int().nonnegative(), maxSize: z.number().int().min(16).max(4096).optional() }),
    reply: ImageReply,
  }),
  'tracking.start': job({
    doc: 'Track a project video (resumes where a previous run stopped)',
    request: z.object({ dir: AbsPath, role: VideoRole, restart: z.boolean().optional() }),
    result: TrackingResult,
  }),
  'tracking.data': request({
    doc: 'Tracked curves, coverage, actor model and crops of a project video: a range of frames (at most TRACKING_DATA_MAX_FRAMES) with the clip\'s frame count, channels and actor',
    request: z.object({ dir: AbsPath, role: VideoRole }).extend(TrackingDataRange.shape),
    reply: TrackingDataWire,
  }),
  'tracking.overlay': request({
    doc: 'A video frame with the fitted mesh and detector landmarks drawn over it',
    request: z.object({ dir: AbsPath, role: VideoRole, frame: z.number().int().nonnegative() }),
    reply: ImageReply,
  }),
  'conditioning.frame': request({
    doc: 'The three conditioning images (color, correspondence, eye gaze) of a target frame, with edits applied',
    request: z.object({ dir: AbsPath, frame: z.number().int().nonnegative(), size: z.number().int().min(32).max(1024).optional() }),
    reply: z.object({ color: ImageReply, correspondence: ImageReply, gaze: ImageReply, crop: CropBox }),
  }),
  'training.start': job({
    doc: 'Train the target actor (resumes from the last checkpoint unless told otherwise)',
    request: z.object({
      dir: AbsPath,
      profile: ProfileName.optional(),
      /** Stop after this many steps in total (default: the paper's 31,000). */
      steps: z.number().int().positive().optional(),
      resume: z.boolean().optional(),
      fromSnapshot: SnapshotName.optional(),
      batch: z.number().int().positive().max(64).optional(),
      backend: z.enum(BACKEND_IDS).optional(),
      checkpointMinutes: z.number().positive().optional(),
      checkpointEverySteps: z.number().int().positive().optional(),
      validateEverySteps: z.number().int().positive().optional(),
      seed: z.number().int().optional(),
      /** wasm only: data-parallel threads; 'auto' = one per core. */
      threads: z.union([z.number().int().min(1).max(16), z.literal('auto')]).optional(),
    }),
    result: TrainingResult,
  }),
  'training.status': request({
    doc: 'Checkpoints, snapshots, loss/validation history and the latest sample of a project',
    request: z.object({ dir: AbsPath }),
    reply: TrainingStatus,
  }),
  'training.snapshot': request({
    doc: 'Keep the latest checkpoint as a named snapshot that can be rolled back to',
    request: z.object({ dir: AbsPath, name: SnapshotName }),
    reply: SnapshotInfo,
  }),
  'inference.frame': request({
    doc: 'Synthesize target frame N with the trained network (edits applied): the crop and the composited full frame',
    request: z.object({ dir: AbsPath, frame: z.number().int().nonnegative() }),
    reply: z.object({ crop: ImageReply, composite: ImageReply, step: z.number().int() }),
  }),
  'evaluation.start': job({
    doc: 'Evaluate a checkpoint or snapshot on held-out (or chosen) frames: pixels, sharpness, identity, re-tracked control, edits, flicker, each beside no-network baselines',
    request: EvaluationRequest,
    result: EvaluationReport,
  }),
  'evaluation.list': request({
    doc: 'The evaluation reports kept in a project, newest first',
    request: z.object({ dir: AbsPath }),
    reply: z.array(EvaluationReport),
  }),
  'render.start': job({
    doc: 'Render the final cut (edits applied) to a video file, with audio; partial output is removed on cancel',
    request: RenderRequest,
    result: RenderResult,
  }),
  'render.list': request({
    doc: 'The renders this project made, newest first, with their size on disk now (null: the file is gone)',
    request: z.object({ dir: AbsPath }),
    reply: z.array(RenderEntry),
  }),
  'timeline.load': request({
    doc: 'The saved timeline edits of a project (TimelineEdits, src-shared/timeline)',
    request: z.object({ dir: AbsPath }),
    reply: z.object({ edits: TimelineEditsSchema }),
  }),
  'timeline.save': request({
    doc: 'Save timeline edits (validated against the TimelineEdits schema; atomic)',
    request: z.object({ dir: AbsPath, edits: TimelineEditsSchema }),
    reply: z.object({ savedAt: z.string() }),
  }),
  'training.backend': request({
    doc: 'The backend training uses on this machine (found once, in a worker) and the network profile that suits it',
    request: z.object({}),
    reply: TrainingBackend,
  }),
  'jobs.list': request({ doc: 'All jobs of this session', request: z.object({}), reply: z.array(JobSummary) }),
  'jobs.cancel': request({
    doc: 'Cancel a running job; its partial output is kept or cleaned up by the job',
    request: z.object({ jobId: z.string().min(1) }),
    reply: z.object({ cancelled: z.boolean() }),
  }),
} satisfies Record<string, AnyChannel>;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type RequestChannelName = { [K in ChannelName]: Contract[K]['kind'] extends 'request' ? K : never }[ChannelName];
export type JobChannelName = { [K in ChannelName]: Contract[K]['kind'] extends 'job' ? K : never }[ChannelName];

export type RequestOf<K extends ChannelName> = z.input<Contract[K]['request']>;
export type ParsedRequestOf<K extends ChannelName> = z.output<Contract[K]['request']>;
export type ReplyOf<K extends RequestChannelName> = z.output<Contract[K] extends { reply: infer R extends z.ZodType } ? R : never>;
export type ResultOf<K extends JobChannelName> = z.output<Contract[K] extends { result: infer R extends z.ZodType } ? R : never>;

/** Events pushed from main to every connected client. */
export const events = {
  'job.progress': JobProgress,
  'job.finished': JobFinished,
  'job.started': JobSummary,
} as const;
export type EventName = keyof typeof events;
export type EventOf<K extends EventName> = z.output<(typeof events)[K]>;

export { JobStarted };
