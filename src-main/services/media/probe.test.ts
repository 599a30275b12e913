import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRANCK, fixture } from '../../../test/helpers/paths.js';
import { probeMedia } from './probe.js';
import { parseFfmpegReport } from './parse-probe.js';

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('probeMedia on real video', () => {
  it('reads franck.mp4 (FG-NET Talking Face) exactly', async () => {
    const m = await probeMedia(FRANCK);
    expect(m).toMatchObject({ width: 360, height: 288, fps: 24, frameCount: 4800, rotation: 0, variableFrameRate: false, videoCodec: 'h264' });
    expect(m.durationSec).toBeCloseTo(200, 1);
    expect(m.audio).toEqual([]);
  });

  it('reports the audio stream of a clip with sound', async () => {
    const m = await probeMedia(fixture('with_audio.mp4'));
    expect(m.audio).toHaveLength(1);
    expect(m.audio[0]).toMatchObject({ codec: 'aac', sampleRate: 44100, channels: 1 });
    expect(m.frameCount).toBe(24);
  });

  it('honours rotation metadata in the displayed size', async () => {
    const m = await probeMedia(fixture('rotated_90.mp4'));
    expect([90, 270]).toContain(m.rotation);
    // Stored sideways (288x360) with a rotate tag; shown upright.
    expect([m.width, m.height]).toEqual([288, 360]);
    expect([m.displayWidth, m.displayHeight]).toEqual([360, 288]);
  });

  it('flags a variable frame rate', async () => {
    const m = await probeMedia(fixture('vfr.mp4'));
    expect(m.variableFrameRate).toBe(true);
    const cfr = await probeMedia(fixture('franck_3s.mp4'));
    expect(cfr.variableFrameRate).toBe(false);
  });
});

describe('probeMedia on bad input', () => {
  it('a missing file', async () => {
    expect((await failure(probeMedia('/no/such/video.mp4'))).code).toBe('FILE_NOT_FOUND');
  });
  it('an empty file', async () => {
    const e = await failure(probeMedia(fixture('empty.mp4')));
    expect(e.code).toBe('NOT_A_VIDEO');
    expect(e.message).toMatch(/empty/);
  });
  it('a text file renamed .mp4', async () => {
    expect((await failure(probeMedia(fixture('not_a_video.mp4')))).code).toBe('NOT_A_VIDEO');
  });
  it('an audio-only file', async () => {
    const e = await failure(probeMedia(fixture('audio_only.m4a')));
    expect(e.code).toBe('NOT_A_VIDEO');
    expect(e.message).toMatch(/no video stream/);
  });
  it('a truncated mp4 (header intact, data cut)', async () => {
    const e = await failure(probeMedia(fixture('truncated_half.mp4')));
    expect(e.code).toBe('CORRUPT_MEDIA');
    expect(e.message).toMatch(/incomplete/);
  });
  it('an mp4 cut before its index', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'probe-'));
    const cut = join(dir, 'cut.mp4');
    await fs.writeFile(cut, (await fs.readFile(FRANCK)).subarray(0, 200_000));
    const e = await failure(probeMedia(cut));
    expect(e.code).toBe('CORRUPT_MEDIA');
    await fs.rm(dir, { recursive: true });
  });
  it('a folder', async () => {
    expect((await failure(probeMedia(tmpdir()))).code).toBe('NOT_A_VIDEO');
  });
});

describe('parseFfmpegReport', () => {
  it('parses the legacy rotate tag and an audio stream', () => {
    const report = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mov':
  Duration: 00:00:10.00, start: 0.000000, bitrate: 100 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080, 100 kb/s, 29.97 fps, 29.97 tbr, 30k tbn, 59.94 tbc (default)
    Metadata:
      rotate          : 90
    Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)`;
    const r = parseFfmpegReport(report)!;
    expect(r).toMatchObject({ width: 1920, height: 1080, rotation: 90, displayWidth: 1080, displayHeight: 1920, pixelFormat: 'yuv420p', frameCount: 300 });
    expect(r.fps).toBeCloseTo(29.97, 2);
    expect(r.audio).toEqual([{ index: 1, codec: 'aac', sampleRate: 48000, channels: 2 }]);
  });
  it('returns null without a video stream', () => {
    expect(parseFfmpegReport("Input #0, wav, from 'a.wav':\n  Duration: 00:00:01.00\n    Stream #0:0: Audio: pcm_s16le, 44100 Hz, mono, s16")).toBeNull();
  });
});
