/**
 * The bad-input suite (issue 15): every class of bad input a user can hand the CLI gets exit
 * code 1, a typed error code and a message that says what is wrong, and leaves the project
 * exactly as it was (every file, byte for byte). Inputs are generated at test time.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src-main/cli/main.js';
import { LOCK_FILE } from '../src-main/services/project/lock.js';
import { runFfmpeg } from '../src-main/services/media/run-ffmpeg.js';
import { fixture } from './helpers/paths.js';

let root: string;
let bad: string;
let project: string;

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** Every file under `dir` (the lock aside: it exists only while a command runs) with its hash. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = 'dir';
        await walk(p);
      } else if (e.name !== LOCK_FILE) out[relative(dir, p)] = createHash('sha1').update(await fs.readFile(p)).digest('hex');
    }
  };
  await walk(dir);
  return out;
}

/** Runs the CLI with --json; returns the exit code and the typed error it printed. */
async function run(args: string[]): Promise<{ code: number; error: { code: string; message: string } | null }> {
  const c = capture();
  const code = await main([...args, '--json'], c.io);
  const last = c.out[c.out.length - 1];
  const parsed = last ? (JSON.parse(last) as { error?: { code: string; message: string } }) : {};
  return { code, error: parsed.error ?? null };
}

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'bad-input-'));
  bad = join(root, 'inputs');
  await fs.mkdir(bad);
  const franck = await fs.readFile(fixture('franck_3s.mp4'));
  const zeroed = Buffer.from(franck);
  zeroed.fill(0, 2000, zeroed.length - 2000);
  const files: Record<string, Buffer | string> = {
    'empty.mp4': '',
    'text.mp4': 'hello, this is not a video\n',
    'random.mp4': Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) >>> 24)),
    'header-only.mp4': franck.subarray(0, 1024),
    'zeroed-body.mp4': zeroed,
    'tiny.y4m': Buffer.concat([Buffer.from('YUV4MPEG2 W2 H2 F25:1 Ip A1:1 C420jpeg\nFRAME\n'), Buffer.alloc(6, 0x80)]),
    'huge.y4m': Buffer.concat([Buffer.from('YUV4MPEG2 W30000 H30000 F25:1 Ip A1:1 C420jpeg\nFRAME\n'), Buffer.alloc(1000, 0x80)]),
  };
  for (const [name, data] of Object.entries(files)) await fs.writeFile(join(bad, name), data);
  // A photo of the actor (ffmpeg opens one as a one-frame video), as PNG and as JPEG.
  for (const still of ['still.png', 'still.jpg']) {
    const r = await runFfmpeg(['-v', 'error', '-y', '-i', fixture('franck_3s.mp4'), '-frames:v', '1', join(bad, still)]);
    expect(r.code, r.stderr).toBe(0);
  }
  await fs.mkdir(join(bad, 'folder.mp4'));
  spawnSync('mkfifo', [join(bad, 'fifo.mp4')]);
  await fs.symlink(join(bad, 'loop-b'), join(bad, 'loop-a'));
  await fs.symlink(join(bad, 'loop-a'), join(bad, 'loop-b'));
  await fs.symlink(join(bad, 'nowhere.mp4'), join(bad, 'dangling.mp4'));
  project = join(root, 'project');
  expect(await main(['project', 'create', project, '--target', fixture('two_frames.mp4')], capture().io)).toBe(0);
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const VIDEO_CASES: Array<[string, () => string, string, RegExp]> = [
  ['a missing file', () => join(bad, 'missing.mp4'), 'FILE_NOT_FOUND', /not found/i],
  ['an empty file', () => join(bad, 'empty.mp4'), 'NOT_A_VIDEO', /empty \(0 bytes\)/],
  ['a text file named .mp4', () => join(bad, 'text.mp4'), 'NOT_A_VIDEO', /not a video file ffmpeg can read/],
  ['random bytes', () => join(bad, 'random.mp4'), 'NOT_A_VIDEO', /not a video file/],
  ['the first KiB of an mp4', () => join(bad, 'header-only.mp4'), 'NOT_A_VIDEO', /not a video file/],
  ['an mp4 whose frames were zeroed', () => join(bad, 'zeroed-body.mp4'), 'CORRUPT_MEDIA', /cannot be decoded/],
  ['an mp4 cut in half', () => fixture('truncated_half.mp4'), 'CORRUPT_MEDIA', /incomplete/],
  ['an audio-only file', () => fixture('audio_only.m4a'), 'NOT_A_VIDEO', /no video stream/],
  ['a non-video file', () => fixture('not_a_video.mp4'), 'NOT_A_VIDEO', /not a video file/],
  ['a folder', () => join(bad, 'folder.mp4'), 'NOT_A_VIDEO', /is a folder/],
  ['a named pipe (would block ffmpeg)', () => join(bad, 'fifo.mp4'), 'NOT_A_VIDEO', /not a regular file/],
  ['a symbolic link loop', () => join(bad, 'loop-a'), 'BAD_REQUEST', /loops through symbolic links/],
  ['a dangling symbolic link', () => join(bad, 'dangling.mp4'), 'FILE_NOT_FOUND', /not found/i],
  ['a path through a file', () => join(bad, 'text.mp4', 'inside.mp4'), 'FILE_NOT_FOUND', /not a folder/],
  ['a file name too long', () => join(bad, `${'n'.repeat(300)}.mp4`), 'BAD_REQUEST', /too long/],
  ['a 2x2 video', () => join(bad, 'tiny.y4m'), 'UNSUPPORTED', /2x2 pixels: too small/],
  ['a video claiming 30000x30000', () => join(bad, 'huge.y4m'), 'UNSUPPORTED', /30000x30000/],
  ['a still image (PNG)', () => join(bad, 'still.png'), 'NOT_A_VIDEO', /is a still image \(png\), not a video/],
  ['a still image (JPEG)', () => join(bad, 'still.jpg'), 'NOT_A_VIDEO', /is a still image \(mjpeg\), not a video/],
];

describe('bad videos: clear typed errors, the project unchanged', () => {
  for (const [what, path, code, message] of VIDEO_CASES) {
    it(`${what} -> ${code}`, async () => {
      const before = await tree(project);
      for (const args of [
        ['probe', path()],
        ['project', 'import', project, '--source', path()],
      ]) {
        const r = await run(args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.error).toMatchObject({ code, message: expect.stringMatching(message) });
      }
      expect(await tree(project)).toEqual(before);
    });
  }
});

describe('bad projects and requests: clear typed errors, nothing changed', () => {
  it('a folder that is not a project -> PROJECT_NOT_FOUND', async () => {
    const r = await run(['project', 'info', bad]);
    expect(r).toMatchObject({ code: 1, error: { code: 'PROJECT_NOT_FOUND' } });
  });

  it('a damaged project.json -> PROJECT_CORRUPT, the file kept as it was', async () => {
    const dir = join(root, 'corrupt');
    await fs.cp(project, dir, { recursive: true });
    await fs.writeFile(join(dir, 'project.json'), '{"schemaVersion": 1, "name": ');
    const before = await tree(dir);
    for (const args of [['project', 'info', dir], ['track', dir], ['train', dir, '--profile', 'tiny', '--steps', '5']]) {
      const r = await run(args);
      expect(r, args.join(' ')).toMatchObject({ code: 1, error: { code: 'PROJECT_CORRUPT' } });
    }
    expect(await tree(dir)).toEqual(before);
  });

  it('a project from a newer version -> PROJECT_TOO_NEW, untouched', async () => {
    const dir = join(root, 'newer');
    await fs.cp(project, dir, { recursive: true });
    const p = JSON.parse(await fs.readFile(join(dir, 'project.json'), 'utf8')) as { schemaVersion: number };
    await fs.writeFile(join(dir, 'project.json'), JSON.stringify({ ...p, schemaVersion: 99 }));
    const before = await tree(dir);
    const r = await run(['track', dir]);
    expect(r).toMatchObject({ code: 1, error: { code: 'PROJECT_TOO_NEW' } });
    expect(await tree(dir)).toEqual(before);
  });

  it('training an untracked project, rendering or evaluating without a network -> BAD_REQUEST saying what to do first', async () => {
    const before = await tree(project);
    const train = await run(['train', project, '--profile', 'tiny', '--steps', '5']);
    expect(train).toMatchObject({ code: 1, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/[Tt]rack/) } });
    const render = await run(['render', project, '--out', join(root, 'out.mp4')]);
    expect(render).toMatchObject({ code: 1, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/[Tt]rain|[Tt]rack/) } });
    const evaluate = await run(['evaluate', project]);
    expect(evaluate.code).toBe(1);
    expect(evaluate.error?.code).toMatch(/BAD_REQUEST/);
    await expect(fs.access(join(root, 'out.mp4'))).rejects.toThrow();
    expect(await tree(project)).toEqual(before);
  });

  it('a target video deleted after import -> FILE_NOT_FOUND naming it, on tracking', async () => {
    const dir = join(root, 'lost-video');
    const video = join(root, 'soon-gone.mp4');
    await fs.copyFile(fixture('two_frames.mp4'), video);
    expect(await main(['project', 'create', dir, '--target', video], capture().io)).toBe(0);
    await fs.rm(video);
    const before = await tree(dir);
    const r = await run(['track', dir]);
    expect(r).toMatchObject({ code: 1, error: { code: 'FILE_NOT_FOUND', message: expect.stringContaining('soon-gone.mp4') } });
    expect(await tree(dir)).toEqual(before);
  });

  it('bad flags are usage errors (exit 2) that name the flag, and change nothing', async () => {
    const before = await tree(project);
    const cases: Array<[string[], RegExp]> = [
      [['train', project, '--steps', '0'], /--steps must be a positive integer/],
      [['train', project, '--steps', '-5'], /--steps/],
      [['train', project, '--profile', 'huge'], /--profile must be/],
      [['evaluate', project, '--frames', '10:5'], /--frames/],
      [['track', project, '--video', 'both'], /--video/],
      [['render', project], /--out/],
      [['frobnicate', project], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main(args, c.io), args.join(' ')).toBe(2);
      expect(c.err.join('\n'), args.join(' ')).toMatch(message);
    }
    expect(await tree(project)).toEqual(before);
  });

  it('a render to an unknown container or over someone\'s folder, the project file as a video -> typed errors, nothing touched', async () => {
    const before = await tree(project);
    const avi = await run(['render', project, '--out', join(root, 'cut.avi')]);
    expect(avi).toMatchObject({ code: 1, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/\.mp4, \.mov/) } });
    const photos = join(root, 'photos');
    await fs.mkdir(photos, { recursive: true });
    await fs.writeFile(join(photos, 'holiday.jpg'), 'mine');
    const over = await run(['render', project, '--codec', 'png', '--out', photos, '--overwrite']);
    expect(over).toMatchObject({ code: 1, error: { code: 'BAD_REQUEST' } });
    expect(await fs.readdir(photos)).toEqual(['holiday.jpg']);
    const self = await run(['project', 'import', project, '--source', join(project, 'project.json')]);
    expect(self).toMatchObject({ code: 1, error: { code: 'NOT_A_VIDEO' } });
    expect(await tree(project)).toEqual(before);
  });

  it('a snapshot name that is a path, a render into the project data -> refused, nothing written', async () => {
    const before = await tree(project);
    const snap = await run(['snapshot', project, '../../outside']);
    expect(snap.code).toBe(1);
    expect(snap.error?.code).toBe('BAD_REQUEST');
    const render = await run(['render', project, '--out', join(project, 'tracks', 'x.mp4')]);
    expect(render).toMatchObject({ code: 1, error: { code: 'BAD_REQUEST' } });
    expect(await tree(project)).toEqual(before);
  });
});
