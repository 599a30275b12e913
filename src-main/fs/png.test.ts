import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTopology, centredCamera, ConditioningRenderer, ellipsoidHead, syntheticFrame } from '../../src-shared/conditioning/index.js';
import { resolveFfmpeg } from '../services/media/ffmpeg.js';
import { encodePng } from './png.js';
import { writeConditioningPngs } from '../services/conditioning/writeFrame.js';

const dir = mkdtempSync(join(tmpdir(), 'cond-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Minimal PNG reader for filter-0 images: checks chunk CRC-free structure and returns pixels. */
function readOwnPng(buf: Buffer): { w: number; h: number; pixels: Uint8Array } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let off = 8, w = 0, h = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') { w = data.readUInt32BE(0); h = data.readUInt32BE(4); }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) pixels.set(raw.subarray(y * (3 * w + 1) + 1, (y + 1) * (3 * w + 1)), y * 3 * w);
  return { w, h, pixels };
}

describe('encodePng', () => {
  it('round-trips pixels and is decodable by ffmpeg', () => {
    const w = 7, h = 5;
    const px = new Uint8Array(w * h * 3);
    for (let i = 0; i < px.length; i++) px[i] = (i * 37) % 256;
    const png = encodePng(px, w, h, 3);
    const back = readOwnPng(png);
    expect([back.w, back.h]).toEqual([w, h]);
    expect(Array.from(back.pixels)).toEqual(Array.from(px));
    const file = join(dir, 'x.png');
    writeFileSync(file, png);
    const ffmpeg = resolveFfmpeg().path;
    const decoded = execFileSync(ffmpeg, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 20 });
    expect(Array.from(decoded)).toEqual(Array.from(px));
  });

  it('rejects a wrong buffer size', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2, 3)).toThrow(RangeError);
  });
});

describe('writeConditioningPngs', () => {
  it('writes the three images of a frame', async () => {
    const topo = buildTopology(ellipsoidHead());
    const r = new ConditioningRenderer(topo, 64, 64);
    const img = r.render(syntheticFrame(topo), centredCamera(64, 64));
    const paths = await writeConditioningPngs(img, 64, 64, 12, join(dir, 'out'));
    expect(paths).toEqual(['color', 'correspondence', 'gaze'].map((k) => join(dir, 'out', `000012_${k}.png`)));
    const gaze = readOwnPng(readFileSync(paths[2]!));
    expect(gaze.pixels.some((v) => v === 255)).toBe(true);
    const color = readOwnPng(readFileSync(paths[0]!));
    expect(color.pixels.some((v) => v > 0 && v < 255)).toBe(true);
  });
});

