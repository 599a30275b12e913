/**
 * tracking.data by chunks: what the studio does to load a video's tracking. A first call with no
 * frames names the clip (frame count, channels, revision); then the frames come in chunks of that
 * revision, each decoded as it arrives. When the tracking changed underneath (a reply of another
 * revision: a running job moved on and the host derived the curves again), it starts over.
 */
import type { PortraitClient } from '../ipc/client.js';
import type { VideoRole } from '../project/schema.js';
import { TrackingDataAssembler, TRACKING_DATA_MAX_FRAMES, type TrackingData } from './tracking-wire.js';

/** Frames per tracking.data call: 4096 frames are ~1.9 MB of reply. */
export const TRACKING_FETCH_CHUNK = 4096;

export async function fetchTrackingData(client: PortraitClient, dir: string, role: VideoRole, chunkFrames = TRACKING_FETCH_CHUNK, attempts = 3): Promise<TrackingData> {
  const chunk = Math.max(1, Math.min(TRACKING_DATA_MAX_FRAMES, Math.floor(chunkFrames)));
  for (let attempt = 1; ; attempt++) {
    const head = await client.call('tracking.data', { dir, role, from: 0, count: 0 });
    const asm = new TrackingDataAssembler(head);
    let moved = false;
    for (let from = 0; from < head.frameCount; from += chunk) {
      const w = await client.call('tracking.data', { dir, role, from, count: Math.min(chunk, head.frameCount - from), revision: head.revision });
      if (w.revision !== head.revision) {
        moved = true;
        break;
      }
      asm.add(w);
    }
    if (!moved) return asm.done();
    if (attempt >= attempts) throw new Error(`The ${role} video's tracking kept changing while it was read (${attempts} tries): try again.`);
  }
}
