import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_CHANNELS, RECORD_FLOATS } from '../../../src-shared/tracks/record.js';
import { FrameFile, LANDMARK_FLOATS, readFloats } from './track-files.js';
import { LEGACY_RECORD_CHANNELS, TRACK_MAGIC, encodeTrackHeader } from './track-format.js';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'track-format-'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const frames = (n: number, per: number) => Float32Array.from({ length: n * per }, (_, i) => i * 0.5 + 1);

describe('track files carry a header: version, kind, frame count, channel names', () => {
  it('writes a header and reads back exactly what was written', async () => {
    const path = join(root, 'target.track.f32');
    const f = await FrameFile.open(path, 3, RECORD_FLOATS, true);
    const data = frames(3, RECORD_FLOATS);
    await f.write(0, data);
    await f.close();
    const buf = await fs.readFile(path);
    expect(buf.subarray(0, 4).equals(TRACK_MAGIC)).toBe(true);
    const header = JSON.parse(buf.subarray(8, 8 + buf.readUInt32LE(4)).toString());
    expect(header).toMatchObject({ format: 'portrait-track', version: 1, kind: 'records', frames: 3, floatsPerFrame: RECORD_FLOATS, channels: RECORD_CHANNELS });
    expect(Array.from((await readFloats(path))!)).toEqual(Array.from(data));
  });

  it('reads a headerless file of the first format, and migrates it on the next tracking run', async () => {
    const path = join(root, 'old.track.f32');
    const data = frames(4, LEGACY_RECORD_CHANNELS.length);
    await fs.writeFile(path, Buffer.from(data.buffer));
    expect(Array.from((await readFloats(path))!)).toEqual(Array.from(data));
    const f = await FrameFile.open(path, 4, RECORD_FLOATS, false);
    await f.close();
    expect((await fs.readFile(path)).subarray(0, 4).equals(TRACK_MAGIC)).toBe(true);
    expect(Array.from((await readFloats(path))!)).toEqual(Array.from(data));
  });

  it('maps channels by name: a file written with another layout is neither shifted nor misread', async () => {
    const path = join(root, 'other-layout.track.f32');
    // An older layout: 'head.yaw' and 'head.pitch' swapped, 'blink.right' missing, an unknown control added.
    const channels = [...RECORD_CHANNELS.filter((c) => c !== 'blink.right'), 'expression.someFutureControl'];
    [channels[2], channels[3]] = [channels[3]!, channels[2]!];
    const raw = new Float32Array(2 * channels.length);
    for (let f = 0; f < 2; f++) channels.forEach((c, i) => (raw[f * channels.length + i] = f * 1000 + (RECORD_CHANNELS.indexOf(c) >= 0 ? RECORD_CHANNELS.indexOf(c) : 999)));
    const header = encodeTrackHeader({ format: 'portrait-track', version: 1, kind: 'records', frames: 2, floatsPerFrame: channels.length, channels });
    await fs.writeFile(path, Buffer.concat([header, Buffer.from(raw.buffer)]));
    const got = (await readFloats(path))!;
    expect(got.length).toBe(2 * RECORD_FLOATS);
    for (let f = 0; f < 2; f++) {
      RECORD_CHANNELS.forEach((c, i) => expect(got[f * RECORD_FLOATS + i]).toBe(c === 'blink.right' ? 0 : f * 1000 + i));
    }
  });

  it('refuses a newer format and a damaged file with clear codes', async () => {
    const newer = join(root, 'newer.track.f32');
    await fs.writeFile(newer, encodeTrackHeader({ format: 'portrait-track', version: 99, kind: 'records', frames: 0, floatsPerFrame: RECORD_FLOATS, channels: [...RECORD_CHANNELS] }));
    await expect(readFloats(newer)).rejects.toMatchObject({ code: 'PROJECT_TOO_NEW' });
    const damaged = join(root, 'damaged.track.f32');
    await fs.writeFile(damaged, Buffer.concat([TRACK_MAGIC, Buffer.from([5, 0, 0, 0]), Buffer.from('{"ver')]));
    await expect(readFloats(damaged)).rejects.toMatchObject({ code: 'PROJECT_CORRUPT' });
    const ragged = join(root, 'ragged.track.f32');
    await fs.writeFile(ragged, Buffer.alloc(RECORD_FLOATS * 4 + 3));
    await expect(readFloats(ragged)).rejects.toMatchObject({ code: 'PROJECT_CORRUPT' });
    const wrongKind = join(root, 'wrong.landmarks.f32');
    await fs.writeFile(wrongKind, encodeTrackHeader({ format: 'portrait-track', version: 1, kind: 'records', frames: 0, floatsPerFrame: RECORD_FLOATS, channels: [...RECORD_CHANNELS] }));
    await expect(readFloats(wrongKind)).rejects.toMatchObject({ code: 'PROJECT_CORRUPT' });
    expect(await readFloats(join(root, 'missing.track.f32'))).toBeNull();
  });

  it('landmark files carry the same header', async () => {
    const path = join(root, 'target.landmarks.f32');
    const f = await FrameFile.open(path, 2, LANDMARK_FLOATS, true);
    const data = frames(2, LANDMARK_FLOATS);
    await f.write(0, data);
    await f.close();
    expect(Array.from((await readFloats(path))!)).toEqual(Array.from(data));
  });
});
