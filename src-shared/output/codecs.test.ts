import { describe, expect, it } from 'vitest';
import { CODEC_IDS, defaultExtension, outputNameProblem, RENDER_CODECS } from './codecs.js';

describe('render codec table', () => {
  it('every video codec names its extensions and audio; the frames codec has none', () => {
    for (const id of CODEC_IDS) {
      const c = RENDER_CODECS[id];
      if (c.kind === 'video') {
        expect(c.extensions.length).toBeGreaterThan(0);
        expect(c.extensions.every((e) => /^\.[a-z0-9]+$/.test(e))).toBe(true);
      } else expect(defaultExtension(id)).toBe('');
      expect(c.video.join(' ').includes('{crf}')).toBe(c.usesCrf);
    }
  });
  it('says which output names a codec accepts', () => {
    expect(outputNameProblem('h264', '/x/cut.mp4')).toBeNull();
    expect(outputNameProblem('h264', '/x/cut.MOV')).toBeNull();
    expect(outputNameProblem('prores', '/x/cut.mp4')).toMatch(/end in \.mov or \.mkv for ProRes/);
    expect(outputNameProblem('ffv1', '/x/cut.mkv')).toBeNull();
    expect(outputNameProblem('ffv1', '/x/cut')).toMatch(/end in \.mkv for FFV1/);
    expect(outputNameProblem('h264', '/x/cut.avi')).toMatch(/end in \.mp4, \.mov, \.m4v or \.mkv for H\.264/);
    expect(outputNameProblem('png', '/x/frames')).toBeNull();
  });
});
