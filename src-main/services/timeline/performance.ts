import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { ProjectFile } from '../../../src-shared/project/schema.js';
import { createActorModel, neutralParams, type ActorModel, type CameraIntrinsics, type FaceParams } from '../../../src-shared/face/index.js';
import { evaluate, parseEdits, tracksFromParams, transfer, type BaseTracks, type TimelineDoc, type TimelineEdits } from '../../../src-shared/timeline/index.js';
import type { CropBox } from '../../../src-shared/conditioning/index.js';
import { ActorFile, CropsFile, readJson, trackPaths } from '../tracking/track-files.js';
import { loadTrackParams } from '../tracking/tracking-service.js';

/**
 * Everything needed to turn a frame number into face parameters and a crop for the target:
 * the target's actor and camera, its tracked base (or the source transferred onto it), the
 * user's edits and the smoothed crops. `evaluate(doc, f)` is the pure function the preview,
 * training and the final cut all share.
 */
export interface Performance {
  actor: ActorModel;
  camera: CameraIntrinsics;
  fps: number;
  frameCount: number;
  /** Tracked target parameters per frame (null where no usable face): training's ground truth. */
  tracked: (FaceParams | null)[];
  doc: TimelineDoc;
  crops: CropBox[];
  /** True when the base is the source actor's motion transferred onto the target. */
  transferred: boolean;
}

export async function loadPerformance(dir: string, project: ProjectFile): Promise<Performance> {
  if (!project.media.target) throw new PortraitError('BAD_REQUEST', 'The project has no target video: import one first.');
  const paths = trackPaths(dir, 'target');
  const actorFile = await readJson(paths.actor, ActorFile);
  const cropsFile = await readJson(paths.crops, CropsFile);
  if (!actorFile || !cropsFile) throw new PortraitError('BAD_REQUEST', 'Track the target video first (its tracking is missing or unfinished).');
  const target = await loadTrackParams(dir, project, 'target');
  const edits: TimelineEdits = parseEdits(project.edits);
  let base: BaseTracks = tracksFromParams(target.fps, target.frames);
  let transferred = false;
  if (project.media.source && edits.transfer.enabled) {
    const srcActor = await readJson(trackPaths(dir, 'source').actor, ActorFile);
    if (srcActor) {
      const source = await loadTrackParams(dir, project, 'source');
      base = transfer(tracksFromParams(source.fps, source.frames), base, edits.transfer).tracks;
      transferred = true;
    }
  }
  return {
    actor: createActorModel(Float32Array.from(actorFile.neutral), Float32Array.from(actorFile.albedo)),
    camera: { focalPx: actorFile.focalPx, width: actorFile.width, height: actorFile.height },
    fps: target.fps,
    frameCount: target.frameCount,
    tracked: target.frames,
    doc: { base, edits },
    crops: cropsFile.crops,
    transferred,
  };
}

export function paramsAt(perf: Performance, frame: number, out: FaceParams = neutralParams()): FaceParams {
  if (frame < 0 || frame >= perf.frameCount) throw new PortraitError('BAD_REQUEST', `Frame ${frame} is outside 0..${perf.frameCount - 1}.`);
  return evaluate(perf.doc, frame, out);
}
