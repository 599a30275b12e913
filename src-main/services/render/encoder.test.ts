import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEC_IDS, codecSpec, defaultExtension } from '../../../src-shared/output/codecs.js';
import { fixture } from '../../../test/helpers/paths.js';
import { probeMedia } from '../media/probe.js';
import { FrameEncoder } from './encoder.js';
import { verifyRender } from './verify-output.js';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'encoder-'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

// Table-driven (issue 18): a codec added to src-shared/output/codecs.ts is encoded and checked here.
describe.each(CODEC_IDS)('codec %s', (id) => {
  it('encodes frames (with sound where the codec carries it) into an output that passes the render check', async () => {
    const spec = codecSpec(id);
    const frames = 6;
    const out = join(root, `clip-${id}${defaultExtension(id)}`);
    if (spec.kind === 'frames') await fs.mkdir(out, { recursive: true });
    const enc = new FrameEncoder({
      width: 64,
      height: 48,
      fps: 24,
      codec: id,
      crf: 23,
      out: spec.kind === 'frames' ? join(out, '%06d.png') : out,
      audio: spec.audio ? { path: fixture('with_audio.mp4'), startSec: 0, durationSec: frames / 24, delaySec: 0 } : null,
    });
    const rgb = new Uint8Array(64 * 48 * 3);
    for (let f = 0; f < frames; f++) {
      rgb.fill(f * 40);
      await enc.write(rgb);
    }
    await enc.finish();
    await verifyRender(out, id, frames);
    if (spec.kind === 'video') {
      const m = await probeMedia(out);
      expect(m.frameCount).toBe(frames);
      expect(m.audio.length).toBe(spec.audio ? 1 : 0);
    } else {
      expect((await fs.readdir(out)).filter((f) => f.endsWith('.png'))).toHaveLength(frames);
    }
  }, 60_000);
});
