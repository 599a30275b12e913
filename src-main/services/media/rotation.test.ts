import { describe, expect, it } from 'vitest';
import { parseRotation } from './rotation.js';
import { parseFfmpegReport } from './parse-probe.js';
import { parseHeader } from '../video/header.js';

// The bundled ffmpeg's report of test/fixtures/rotated_90.mp4 (coded 288x360, shown turned).
const BOTH = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'rotated_90.mp4':
  Duration: 00:00:01.00, start: 0.000000, bitrate: 206 kb/s
    Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 288x360 [SAR 1:1 DAR 4:5], 197 kb/s, 24 fps, 24 tbr, 12288 tbn, 48 tbc (default)
    Metadata:
      rotate          : 270
      handler_name    : VideoHandler
    Side data:
      displaymatrix: rotation of 90.00 degrees
`;
// Newer ffmpeg prints only the display matrix; the oldest only the tag.
const MATRIX_ONLY = BOTH.replace(/\s*rotate\s*: 270\n/, '\n');
const TAG_ONLY = BOTH.replace(/\s*Side data:\n\s*displaymatrix.*\n/, '\n');

describe('one rotation parser for probe and decode', () => {
  it('reads the display matrix (counter-clockwise) and the rotate tag (clockwise) as the same rotation', () => {
    for (const report of [BOTH, MATRIX_ONLY, TAG_ONLY]) expect(parseRotation(report)).toBe(270);
    expect(parseRotation('displaymatrix: rotation of -90.00 degrees')).toBe(90);
    expect(parseRotation('displaymatrix: rotation of 180.00 degrees')).toBe(180);
    expect(parseRotation('no rotation here')).toBe(0);
  });

  it('probe and decode agree on every ffmpeg flavour (before, decode knew only the tag)', () => {
    for (const report of [BOTH, MATRIX_ONLY, TAG_ONLY]) {
      const probe = parseFfmpegReport(report)!;
      const header = parseHeader(report, 'rotated_90.mp4');
      expect(probe.rotation).toBe(270);
      expect(header.rotation).toBe(probe.rotation);
    }
  });
});

// A music file's cover art comes first, then the real video; the art carries its own rotation.
const COVER_FIRST = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'clip.mp4':
  Duration: 00:01:40.00, start: 0.021333, bitrate: 900 kb/s
    Stream #0:0: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 600x600 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn (attached pic)
    Side data:
      displaymatrix: rotation of -90.00 degrees
    Stream #0:1(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1280x720 [SAR 1:1 DAR 16:9], 800 kb/s, 29.97 fps, 29.97 tbr, 30k tbn (default)
    Stream #0:2(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 128 kb/s (default)
`;

describe('one banner parser (media/parse-probe.ts) for the probe and the decoder', () => {
  it('both skip cover art, read the real stream\'s size, rate and (no) rotation, and the start time', () => {
    const probe = parseFfmpegReport(COVER_FIRST)!;
    const header = parseHeader(COVER_FIRST, 'clip.mp4');
    expect([probe.width, probe.height, probe.rotation]).toEqual([1280, 720, 0]);
    expect([header.codedWidth, header.codedHeight, header.rotation]).toEqual([1280, 720, 0]);
    expect(header.fps).toBe(probe.fps);
    expect(header.fpsExpr).toBe('30000/1001');
    expect(header.startSec).toBeCloseTo(0.021333, 6);
    expect(header.durationSec).toBe(probe.durationSec);
    expect(probe.audio).toEqual([{ index: 2, codec: 'aac', sampleRate: 48000, channels: 2 }]);
  });

  it('a file with only cover art is not a video to either; a video line without a size is corrupt to the decoder', () => {
    const artOnly = COVER_FIRST.split('\n').filter((l) => !/#0:1|#0:2/.test(l)).join('\n');
    expect(parseFfmpegReport(artOnly)).toBeNull();
    expect(() => parseHeader(artOnly, 'a.m4a')).toThrow(expect.objectContaining({ code: 'NOT_A_VIDEO' }));
    const noSize = '    Stream #0:0: Video: h264, yuv420p, 25 fps, 25 tbr\n';
    expect(() => parseHeader(noSize, 'b.mp4')).toThrow(expect.objectContaining({ code: 'CORRUPT_MEDIA' }));
  });
});
