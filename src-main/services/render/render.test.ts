import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRANCK, CAP12, fixture } from '../../../test/helpers/paths.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import type { PortraitClient } from '../../../src-shared/ipc/client.js';
import { runFfmpeg } from '../media/run-ffmpeg.js';
import { probeMedia } from '../media/probe.js';
import { decodeFrames } from '../video/decode.js';
import { emptyEdits, parseEdits, sourceFrameShown } from '../../../src-shared/timeline/index.js';
import { decodeTrackingData } from '../../../src-shared/tracks/tracking-wire.js';
import { fitLetterbox } from '../../../src-shared/image/fit.js';

let studio: Studio;
let client: PortraitClient;
let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'render-'));
  studio = createStudio({ mode: 'browser' });
  client = studioClient(studio);
});
afterAll(async () => {
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

async function trainedProject(name: string, target: string, source?: string): Promise<string> {
  const dir = join(root, name);
  await client.call('project.create', { dir });
  await (await client.startJob('project.importVideo', { dir, role: 'target', path: target })).result;
  await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
  if (source) {
    await (await client.startJob('project.importVideo', { dir, role: 'source', path: source })).result;
    await (await client.startJob('tracking.start', { dir, role: 'source' })).result;
  }
  await (await client.startJob('training.start', { dir, profile: 'tiny', steps: 30, backend: 'wasm' })).result;
  return dir;
}

async function audioSeconds(file: string): Promise<number> {
  const r = await runFfmpeg(['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-f', 'null', '-']);
  const times = [...r.stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const t = times[times.length - 1]!;
  return Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]);
}

function decodePng(png: Buffer): { w: number; h: number; rgb: Uint8Array } {
  const w = png.readUInt32BE(16);
  const h = png.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let o = 8; o < png.length; ) {
    const len = png.readUInt32BE(o);
    if (png.toString('latin1', o + 4, o + 8) === 'IDAT') chunks.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    if (raw[y * (w * 3 + 1)] !== 0) throw new Error('only filter 0 PNGs are decoded here');
    rgb.set(raw.subarray(y * (w * 3 + 1) + 1, (y + 1) * (w * 3 + 1)), y * w * 3);
  }
  return { w, h, rgb };
}

describe('final cut', () => {
  let dir: string;
  it('renders a real clip with its audio: frame count, fps, size and audio length', async () => {
    dir = await trainedProject('audio', fixture('with_audio.mp4'));
    const out = join(dir, 'renders', 'cut.mp4');
    const r = await (await client.startJob('render.start', { dir, out })).result;
    expect(r).toMatchObject({ frames: 24, fps: 24, width: 360, height: 288, audio: 'target' });
    const m = await probeMedia(out);
    expect(m).toMatchObject({ frameCount: 24, fps: 24, width: 360, height: 288 });
    expect(m.audio).toHaveLength(1);
    expect(Math.abs((await audioSeconds(out)) - 1)).toBeLessThanOrEqual(1 / 24);
    const left = (await fs.readdir(join(dir, 'renders'))).filter((f) => f.includes('partial'));
    expect(left).toEqual([]);
  });

  it('pastes the synthesized face inside the mask and keeps the original frame outside it', async () => {
    const out = join(dir, 'renders', 'frames');
    await (await client.startJob('render.start', { dir, out, codec: 'png', colorMatch: false, range: { start: 5, end: 8 } })).result;
    const files = (await fs.readdir(out)).filter((f) => f.endsWith('.png')).sort();
    expect(files).toHaveLength(4);
    expect(await fs.readdir(out)).toContain('.portrait-render.json');
    const rendered = decodePng(await fs.readFile(join(out, files[0]!)));
    const preview = await client.call('inference.frame', { dir, frame: 5 });
    const composite = decodePng(Buffer.from(preview.composite.dataUrl.split(',')[1]!, 'base64'));
    // The render is exactly the generator output pasted through the mask (same path as the preview).
    expect(Buffer.from(rendered.rgb).equals(Buffer.from(composite.rgb))).toBe(true);
    let original: Uint8Array | null = null;
    for await (const f of decodeFrames(fixture('with_audio.mp4'), { start: 5, count: 1 })) original = f.data;
    const data = decodeTrackingData(await client.call('tracking.data', { dir, role: 'target' }));
    const box = data.crops![5]!;
    let outsideDiff = 0;
    let insideDiff = 0;
    let inside = 0;
    for (let y = 0; y < rendered.h; y++) for (let x = 0; x < rendered.w; x++) {
      const i = (y * rendered.w + x) * 3;
      const d = Math.abs(rendered.rgb[i]! - original![i]!) + Math.abs(rendered.rgb[i + 1]! - original![i + 1]!) + Math.abs(rendered.rgb[i + 2]! - original![i + 2]!);
      const inBox = x >= box.x - 1 && x <= box.x + box.size + 1 && y >= box.y - 1 && y <= box.y + box.size + 1;
      if (!inBox) outsideDiff += d;
      const core = x > box.x + box.size * 0.3 && x < box.x + box.size * 0.7 && y > box.y + box.size * 0.3 && y < box.y + box.size * 0.7;
      if (core) {
        insideDiff += d;
        inside++;
      }
    }
    expect(outsideDiff).toBe(0);
    // A 30-step tiny model is far from the real face: the core of the crop is visibly replaced.
    expect(insideDiff / inside / 3).toBeGreaterThan(5);
  });

  it('never overwrites an existing file unless asked, and cleans up a cancelled render', async () => {
    const out = join(dir, 'renders', 'cut.mp4');
    await expect(client.startJob('render.start', { dir, out })).rejects.toMatchObject({ code: 'FILE_EXISTS' });
    // Overwrite never empties a folder the studio did not render: not someone's folder, not the project.
    const foreign = join(root, 'someones-folder');
    await fs.mkdir(foreign, { recursive: true });
    await fs.writeFile(join(foreign, 'keep.txt'), 'mine');
    await expect(client.startJob('render.start', { dir, out: foreign, codec: 'png', overwrite: true })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(client.startJob('render.start', { dir, out: dir, codec: 'png', overwrite: true })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await fs.readdir(foreign)).toEqual(['keep.txt']);
    expect(await fs.readdir(dir)).toContain('project.json');
    const target = join(dir, 'renders', 'cancelled.mp4');
    // Cancel at the first report (loading the network): the worker sees it at its next report,
    // before the first frame is rendered, so the render is always cancelled, never finished.
    let sent = false;
    const job = await client.startJob('render.start', { dir, out: target }, () => {
      if (!sent) void job.cancel();
      sent = true;
    });
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(fs.access(target)).rejects.toThrow();
    expect((await fs.readdir(join(dir, 'renders'))).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('keeps the source audio in sync: a 25 fps source onto a 30 fps target', async () => {
    const target = join(root, 'target30.mp4');
    const source = join(root, 'source25.mp4');
    let r = await runFfmpeg(['-y', '-i', FRANCK, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=3', '-t', '1.5', '-vf', 'fps=30', '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', target]);
    expect(r.code).toBe(0);
    r = await runFfmpeg(['-y', '-i', CAP12, '-f', 'lavfi', '-i', 'sine=frequency=880:sample_rate=48000:duration=3', '-t', '2', '-vf', 'fps=25', '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', source]);
    expect(r.code).toBe(0);
    const d = await trainedProject('fps', target, source);
    const edits = emptyEdits();
    edits.transfer.enabled = true;
    await client.call('timeline.save', { dir: d, edits });
    const out = join(d, 'renders', 'reenacted.mp4');
    const res = await (await client.startJob('render.start', { dir: d, out, audio: 'source' })).result;
    expect(res).toMatchObject({ frames: 45, fps: 30, audio: 'source' });
    const m = await probeMedia(out);
    expect(m.frameCount).toBe(45);
    expect(Math.abs((await audioSeconds(out)) - 1.5)).toBeLessThanOrEqual(1 / 30);
  });

  it('compare layout with the transfer on shows the source actor at the frame that drives each target frame (issue 16 item 11)', async () => {
    const d = await trainedProject('compare', fixture('with_audio.mp4'), CAP12);
    const edits = emptyEdits();
    edits.transfer.enabled = true;
    edits.transfer.timeOffsetSec = 0.2; // the source starts 0.2 s into the target
    await client.call('timeline.save', { dir: d, edits });
    const out = join(d, 'renders', 'compare');
    await (await client.startJob('render.start', { dir: d, out, codec: 'png', layout: 'compare', range: { start: 2, end: 12 } })).result;
    const files = (await fs.readdir(out)).filter((f) => f.endsWith('.png')).sort();
    expect(files).toHaveLength(11);
    const target = await probeMedia(fixture('with_audio.mp4'));
    const source = await probeMedia(CAP12);
    const W = target.displayWidth;
    const H = target.displayHeight;
    const left = (rgb: Uint8Array, w: number) => {
      const o = new Uint8Array(W * H * 3);
      for (let y = 0; y < H; y++) o.set(rgb.subarray(y * w * 3, (y * w + W) * 3), y * W * 3);
      return o;
    };
    const saved = (await client.call('timeline.load', { dir: d })).edits;
    for (const [i, f] of [[0, 2], [10, 12]] as const) {
      const png = decodePng(await fs.readFile(join(out, files[i]!)));
      const shown = sourceFrameShown(f, target.fps, source.fps, source.frameCount, parseEdits(saved ?? {}).transfer);
      let expected: Uint8Array;
      if (shown === null) {
        // Before the source starts the target's own frame is shown.
        let own: Uint8Array | null = null;
        for await (const fr of decodeFrames(fixture('with_audio.mp4'), { start: f, count: 1 })) own = fr.data;
        expected = own!;
        expect(f).toBe(2);
      } else {
        let src: { data: Uint8Array; width: number; height: number } | null = null;
        for await (const fr of decodeFrames(CAP12, { start: shown, count: 1 })) src = fr;
        expected = fitLetterbox(src!.data, src!.width, src!.height, W, H);
        expect(shown).toBe(Math.round((12 / target.fps - 0.2) * source.fps));
      }
      expect(Buffer.from(left(png.rgb, png.w)).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('passes frames without a tracked face through untouched unless asked to fill them', async () => {
    const clip = join(root, 'gap.mp4');
    const r = await runFfmpeg([
      '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=360x288:r=24:d=0.5', '-i', FRANCK,
      '-filter_complex', '[0:v]format=yuv420p,setsar=1[a];[1:v]trim=duration=1,setpts=PTS-STARTPTS,format=yuv420p,setsar=1[b];[a][b]concat=n=2:v=1[v]',
      '-map', '[v]', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip,
    ]);
    expect(r.code).toBe(0);
    const d = await trainedProject('gap', clip);
    const data = decodeTrackingData(await client.call('tracking.data', { dir: d, role: 'target' }));
    expect(data.status.slice(0, 12).every((s) => s === 2)).toBe(true);
    expect(data.status.slice(12).every((s) => s === 1)).toBe(true);
    const frameAt = async (dirOut: string) => decodePng(await fs.readFile(join(dirOut, (await fs.readdir(dirOut)).filter((f) => f.endsWith('.png')).sort()[0]!)));
    const plain = join(d, 'renders', 'plain');
    await (await client.startJob('render.start', { dir: d, out: plain, codec: 'png', range: { start: 3, end: 3 } })).result;
    let original: Uint8Array | null = null;
    for await (const f of decodeFrames(clip, { start: 3, count: 1 })) original = f.data;
    expect(Buffer.from((await frameAt(plain)).rgb).equals(Buffer.from(original!))).toBe(true);
    const filled = join(d, 'renders', 'filled');
    await (await client.startJob('render.start', { dir: d, out: filled, codec: 'png', range: { start: 3, end: 3 }, fillMissingFaces: true })).result;
    expect(Buffer.from((await frameAt(filled)).rgb).equals(Buffer.from(original!))).toBe(false);
  });
});
