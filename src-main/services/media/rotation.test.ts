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
