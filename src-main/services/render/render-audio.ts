/**
 * The sound a render carries: what the user chose (or the default for the project), cut to the
 * rendered range. One place, so a farm render muxes exactly the track a one-machine render would.
 */
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RenderRequest } from '../../../src-shared/ipc/contract.js';
import type { ProjectFile } from '../../../src-shared/project/schema.js';
import { parseEdits } from '../../../src-shared/timeline/index.js';
import { audioProblem, defaultAudio } from '../../../src-shared/project/audio-choice.js';
import { codecSpec } from '../../../src-shared/output/codecs.js';
import type { EncoderOptions } from './encoder.js';

export interface AudioChoice {
  used: 'target' | 'source' | 'none';
  track: EncoderOptions['audio'];
}

export function chooseAudio(req: Pick<RenderRequest, 'audio' | 'codec'>, project: ProjectFile, start: number, count: number, fps: number): AudioChoice {
  const durationSec = count / fps;
  const wanted = req.audio ?? defaultAudio(project.media, parseEdits(project.edits).transfer.enabled);
  if (wanted === 'none' || codecSpec(req.codec).audio === null) return { used: 'none', track: null };
  const problem = audioProblem(project.media, wanted);
  if (problem) throw new PortraitError('BAD_REQUEST', problem, { field: 'audio' });
  const media = project.media[wanted]!;
  let at = start / fps;
  if (wanted === 'source') {
    // The source plays at target time timeOffsetSec from its trimIn frame (as in the transfer).
    const edits = project.edits as { transfer?: { timeOffsetSec?: number; trimIn?: number } };
    at = start / fps - (edits.transfer?.timeOffsetSec ?? 0) + (edits.transfer?.trimIn ?? 0) / media.probe.fps;
  }
  return {
    used: wanted,
    track: { path: media.path, startSec: Math.max(0, at), delaySec: Math.max(0, -at), durationSec },
  };
}
