import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { checkOutputTarget, PNG_RENDER_MARKER, writePngMarker } from './output-target.js';
import { FrameEncoder } from './encoder.js';
import { verifyRender } from './verify-output.js';

let root: string;
let project: string;
beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'out-target-'));
  project = join(root, 'proj');
  await fs.mkdir(join(project, 'checkpoints'), { recursive: true });
  await fs.writeFile(join(project, 'project.json'), '{}');
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const check = (out: string, codec: 'h264' | 'png', overwrite = true) => checkOutputTarget({ dir: project, out, codec, overwrite });

describe('where a render may write', () => {
  it('never empties a folder it did not render, even with overwrite', async () => {
    const photos = join(root, 'photos');
    await fs.mkdir(photos);
    await fs.writeFile(join(photos, 'holiday.jpg'), 'keep me');
    await expect(check(photos, 'png')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/never emptied/) });
    // A folder with our marker but someone's file added is refused too.
    await fs.writeFile(join(photos, PNG_RENDER_MARKER), '{}');
    await expect(check(photos, 'png')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await fs.readFile(join(photos, 'holiday.jpg'), 'utf8')).toBe('keep me');
  });

  it('replaces a PNG sequence folder it rendered, and a video file, when asked', async () => {
    const seq = join(root, 'seq');
    await fs.mkdir(seq);
    await fs.writeFile(join(seq, '000001.png'), 'x');
    await writePngMarker(seq, 1);
    await expect(check(seq, 'png')).resolves.toMatchObject({ replaces: true });
    await expect(check(seq, 'png', false)).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    const video = join(root, 'cut.mp4');
    await fs.writeFile(video, 'old');
    await expect(check(video, 'h264')).resolves.toMatchObject({ replaces: true });
    await expect(check(join(root, 'new.mp4'), 'h264')).resolves.toMatchObject({ replaces: false });
  });

  it('refuses a folder as a video output, the project folder, and the project’s own data', async () => {
    await expect(check(join(root, 'photos'), 'h264')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/a folder/) });
    await expect(check(project, 'png')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/project folder itself/) });
    await expect(check(join(project, 'checkpoints', 'x.mp4'), 'h264')).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/project's own data/) });
    await expect(check(join(project, 'renders', 'x.mp4'), 'h264')).resolves.toMatchObject({ replaces: false });
    await expect(check(join(project, 'final.mp4'), 'h264')).resolves.toMatchObject({ replaces: false });
  });
});

describe('a finished render is checked before it is kept', () => {
  it('an encoder that logs a full disk yet exits 0 fails with DISK_FULL', async () => {
    // Reproduces ffmpeg writing its trailer onto a full disk: stdin read, error logged, exit 0.
    const fake = join(root, 'ffmpeg-full-disk.sh');
    await fs.writeFile(fake, '#!/bin/sh\ncat > /dev/null\necho "[out#0/mp4] Error writing trailer: No space left on device" >&2\nexit 0\n', { mode: 0o755 });
    const enc = new FrameEncoder({ width: 4, height: 4, fps: 24, codec: 'h264', crf: 18, out: join(root, 'never.mp4'), audio: null, ffmpeg: fake });
    await enc.write(new Uint8Array(48));
    await expect(enc.finish()).rejects.toMatchObject({ code: 'DISK_FULL' });
  });

  it('an encoder refused the output folder fails with PERMISSION_DENIED, not INTERNAL', async () => {
    const fake = join(root, 'ffmpeg-denied.sh');
    await fs.writeFile(fake, '#!/bin/sh\ncat > /dev/null\necho "/out/cut.mp4: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
    const enc = new FrameEncoder({ width: 4, height: 4, fps: 24, codec: 'h264', crf: 18, out: join(root, 'never2.mp4'), audio: null, ffmpeg: fake });
    await enc.write(new Uint8Array(48)).catch(() => {});
    await expect(enc.finish()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('a video cut short (no index) or with missing frames is refused; a whole one passes', async () => {
    await expect(verifyRender(fixture('franck_3s.mp4'), 'h264', 72)).resolves.toBeUndefined();
    await expect(verifyRender(fixture('franck_3s.mp4'), 'h264', 90)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/72 frames instead of 90/) });
    const whole = await fs.readFile(fixture('franck_3s.mp4'));
    const cut = join(root, 'cut-short.mp4');
    await fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(verifyRender(cut, 'h264', 72)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/failed its check/) });
  });

  it('a PNG sequence with an empty or missing frame is refused', async () => {
    const seq = join(root, 'pngs');
    await fs.mkdir(seq);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(80)]);
    await fs.writeFile(join(seq, '000001.png'), png);
    await fs.writeFile(join(seq, '000002.png'), png);
    await expect(verifyRender(seq, 'png', 2)).resolves.toBeUndefined();
    await expect(verifyRender(seq, 'png', 3)).rejects.toMatchObject({ message: expect.stringMatching(/frame 3 of 3 is missing/) });
    await fs.writeFile(join(seq, '000002.png'), '');
    await expect(verifyRender(seq, 'png', 2)).rejects.toMatchObject({ message: expect.stringMatching(/frame 2 of 2 is empty/) });
  });
});
