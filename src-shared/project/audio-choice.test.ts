import { describe, expect, it } from 'vitest';
import type { ProjectFile } from './schema.js';
import { audioProblem, defaultAudio } from './audio-choice.js';

const video = (audioTracks: number) => ({ probe: { audio: Array.from({ length: audioTracks }, () => ({})) } }) as unknown as NonNullable<ProjectFile['media']['target']>;

describe('render audio choice', () => {
  it('defaults to a video that has sound: the source with the transfer on, else the target, else none', () => {
    expect(defaultAudio({ target: video(0), source: null }, false)).toBe('none');
    expect(defaultAudio({ target: video(1), source: null }, false)).toBe('target');
    expect(defaultAudio({ target: video(1), source: video(1) }, false)).toBe('target');
    expect(defaultAudio({ target: video(1), source: video(1) }, true)).toBe('source');
    expect(defaultAudio({ target: video(0), source: video(0) }, true)).toBe('none');
    expect(defaultAudio({ target: video(1), source: video(0) }, true)).toBe('target');
  });
  it('says why a choice cannot work, and the default never has a problem', () => {
    const media = { target: video(0), source: null };
    expect(audioProblem(media, 'target')).toMatch(/target video has no audio track/);
    expect(audioProblem(media, 'source')).toMatch(/no source video/);
    expect(audioProblem(media, 'none')).toBeNull();
    for (const t of [0, 1]) for (const s of [null, 0, 1]) for (const on of [false, true]) {
      const m = { target: video(t), source: s === null ? null : video(s) };
      expect(audioProblem(m, defaultAudio(m, on))).toBeNull();
    }
  });
});
