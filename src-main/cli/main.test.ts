import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/paths.js';
import { main } from './main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('portrait CLI', () => {
  it('prints help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/portrait probe <video>/);
  });

  it('probe --json prints the MediaInfo document', async () => {
    const c = capture();
    expect(await main(['probe', fixture('cap12_2s.mp4'), '--json'], c.io)).toBe(0);
    const info = JSON.parse(c.out.join(''));
    expect(info).toMatchObject({ width: 400, height: 300, fps: 25, frameCount: 50 });
  });

  it('a bad input exits 1 with a typed JSON error', async () => {
    const c = capture();
    expect(await main(['probe', fixture('not_a_video.mp4'), '--json'], c.io)).toBe(1);
    expect(JSON.parse(c.out.join(''))).toMatchObject({ error: { code: 'NOT_A_VIDEO' } });
  });

  it('usage errors exit 2', async () => {
    const c = capture();
    expect(await main(['probe'], c.io)).toBe(2);
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(await main(['probe', 'a', '--bogus'], c.io)).toBe(2);
  });

  it('farm flags: usage errors exit 2 before anything connects', async () => {
    const c = capture();
    expect(await main(['render', '/tmp/p', '--out', '/tmp/x.mp4', '--chunk-frames', '5'], c.io)).toBe(2);
    expect(await main(['render', '/tmp/p', '--out', '/tmp/x.mp4', '--farm', 'http://farm:6379'], c.io)).toBe(2);
    expect(await main(['render', '/tmp/p', '--out', '/tmp/x.mp4', '--farm', 'redis://farm:6379', '--chunk-frames', '0'], c.io)).toBe(2);
    expect(await main(['worker'], c.io)).toBe(2);
    expect(await main(['worker', '--farm', 'redis://farm:6379', '--map-path', 'relative=/x'], c.io)).toBe(2);
    expect(await main(['worker', '--farm', 'redis://farm:6379', '--lock-seconds', '0'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/--chunk-frames is for a farm render/);
    expect(c.err.join('\n')).toMatch(/uses http, not redis/);
    expect(c.err.join('\n')).toMatch(/--map-path takes FROM=TO with two absolute folders/);
  });

  it('project create with a target, then project info --json', async () => {
    const dir = join(await fs.mkdtemp(join(tmpdir(), 'cli-')), 'proj');
    const c = capture();
    expect(await main(['project', 'create', dir, '--name', 'CLI test', '--target', fixture('franck_3s.mp4'), '--json'], c.io)).toBe(0);
    const c2 = capture();
    expect(await main(['project', 'info', dir, '--json'], c2.io)).toBe(0);
    const info = JSON.parse(c2.out.join(''));
    expect(info.project.name).toBe('CLI test');
    expect(info.project.media.target.probe.frameCount).toBe(72);
    expect(info.tracking).toEqual([{ role: 'target', frames: 72, framesTracked: 0, framesWithFace: 0 }]);
    const c3 = capture();
    expect(await main(['project', 'info', dir], c3.io)).toBe(0);
    expect(c3.out.join('\n')).toMatch(/target: .*franck_3s\.mp4/);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a bad target leaves no half-made project; a later import attaches a video to an existing one', async () => {
    const dir = join(await fs.mkdtemp(join(tmpdir(), 'cli-')), 'proj');
    const bad = capture();
    expect(await main(['project', 'create', dir, '--target', fixture('truncated_half.mp4')], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/CORRUPT_MEDIA.*The target video: .*No project was created\./s);
    await expect(fs.access(dir)).rejects.toThrow();
    // The retry works (no PROJECT_EXISTS), and a source is attached later.
    expect(await main(['project', 'create', dir, '--target', fixture('franck_3s.mp4')], capture().io)).toBe(0);
    const notVideo = capture();
    expect(await main(['project', 'import', dir, '--source', fixture('not_a_video.mp4')], notVideo.io)).toBe(1);
    expect(notVideo.err.join('\n')).toMatch(/NOT_A_VIDEO.*The source video/s);
    const c = capture();
    expect(await main(['project', 'import', dir, '--source', fixture('cap12_2s.mp4'), '--json'], c.io)).toBe(0);
    const info = JSON.parse(c.out.join(''));
    expect(info.project.media.target.probe.frameCount).toBe(72);
    expect(info.project.media.source.path).toMatch(/cap12_2s\.mp4$/);
    expect(await main(['project', 'import', dir], capture().io)).toBe(2);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
