/**
 * Client-side conditioning preview: the same pure renderer (src-shared/conditioning) the network's
 * input comes from, run on the playhead frame so scrubbing and editing show immediately.
 */
import type { TrackingData } from '../../../src-shared/ipc/contract.js';
import { createActorModel, neutralParams, VERTEX_COUNT, type FaceParams } from '../../../src-shared/face/index.js';
import { CHANNELS_PER_FRAME, FaceConditioning, IMAGE_KINDS, type ImageKind } from '../../../src-shared/conditioning/index.js';
import { evaluate, type TimelineDoc } from '../../../src-shared/timeline/index.js';

export type ActorData = NonNullable<TrackingData['actor']>;

export class ConditioningPreview {
  readonly size: number;
  private readonly fc: FaceConditioning;
  private readonly params: FaceParams = neutralParams();
  private readonly buf: Float32Array;

  constructor(
    actor: ActorData,
    private readonly crops: TrackingData['crops'],
    size = 256,
  ) {
    if (actor.neutral.length !== VERTEX_COUNT * 3) throw new Error(`actor neutral has ${actor.neutral.length} values, expected ${VERTEX_COUNT * 3}`);
    const model = createActorModel(Float32Array.from(actor.neutral), actor.albedo.length === VERTEX_COUNT * 3 ? Float32Array.from(actor.albedo) : undefined);
    this.fc = new FaceConditioning(model, { focalPx: actor.focalPx, width: actor.width, height: actor.height }, size);
    this.size = size;
    this.buf = new Float32Array(size * size * CHANNELS_PER_FRAME);
  }

  /** Renders frame f of the timeline; returns one RGBA image per kind, or null without a crop. */
  render(doc: TimelineDoc, frame: number): Record<ImageKind, ImageData> | null {
    const p = evaluate(doc, frame, this.params);
    const crop = this.crops?.[frame] ?? this.fc.frameCrop(p);
    if (!crop) return null;
    this.fc.render(p, crop, this.buf);
    const n = this.size * this.size;
    const out = {} as Record<ImageKind, ImageData>;
    IMAGE_KINDS.forEach((kind, ki) => {
      const img = new ImageData(this.size, this.size);
      const d = img.data;
      const off = ki * 3;
      for (let i = 0; i < n; i++) {
        const s = i * CHANNELS_PER_FRAME + off;
        d[4 * i] = (this.buf[s]! + 1) * 127.5;
        d[4 * i + 1] = (this.buf[s + 1]! + 1) * 127.5;
        d[4 * i + 2] = (this.buf[s + 2]! + 1) * 127.5;
        d[4 * i + 3] = 255;
      }
      out[kind] = img;
    });
    return out;
  }
}
