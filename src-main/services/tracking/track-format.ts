/**
 * The on-disk format of the per-frame track files: a header (magic, version, kind, frame count,
 * floats per frame and, for records, the channel names) then the float32 payload, one
 * fixed-size record per frame. Readers map channels by name, so a file written before a control
 * was added or removed still reads right (missing channels are 0, unknown ones dropped). Files
 * from before the header (version 0: raw floats) are read with the channel list of that time,
 * frozen in legacy-record-channels.ts.
 */
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { RECORD_CHANNELS } from '../../../src-shared/tracks/record.js';
import { LEGACY_RECORD_CHANNELS } from './legacy-record-channels.js';

export const TRACK_MAGIC = Buffer.from('PSTK');
export const TRACK_FORMAT_VERSION = 1;
export type TrackKind = 'records' | 'landmarks';

export interface TrackHeader {
  format: 'portrait-track';
  version: number;
  kind: TrackKind;
  frames: number;
  floatsPerFrame: number;
  /** Records only: the name of each float of a record, in order. */
  channels?: string[];
}

export { LEGACY_RECORD_CHANNELS };

/** Magic, u32 length, the JSON header padded with spaces so the payload starts 4-byte aligned. */
export function encodeTrackHeader(h: TrackHeader): Buffer {
  let json = Buffer.from(JSON.stringify(h));
  const pad = (4 - ((8 + json.length) % 4)) % 4;
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([TRACK_MAGIC, len, json]);
}

export interface ParsedTrack {
  header: TrackHeader;
  /** Bytes before the payload (0 for a headerless file). */
  headerBytes: number;
  /** The payload as written (channels in the file's order). */
  raw: Float32Array;
  legacy: boolean;
}

export function parseTrackFile(buf: Buffer, kind: TrackKind, floatsPerFrame: number, path: string): ParsedTrack {
  if (buf.length < 8 || !buf.subarray(0, 4).equals(TRACK_MAGIC)) {
    const perFrame = kind === 'records' ? LEGACY_RECORD_CHANNELS.length : floatsPerFrame;
    if (buf.length % (perFrame * 4) !== 0) throw new PortraitError('PROJECT_CORRUPT', `The track file ${path} is damaged (its size is not a whole number of frames).`);
    const raw = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    return {
      header: { format: 'portrait-track', version: 0, kind, frames: buf.length / (perFrame * 4), floatsPerFrame: perFrame, ...(kind === 'records' ? { channels: [...LEGACY_RECORD_CHANNELS] } : {}) },
      headerBytes: 0,
      raw,
      legacy: true,
    };
  }
  const len = buf.readUInt32LE(4);
  let header: TrackHeader;
  try {
    header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8')) as TrackHeader;
  } catch {
    throw new PortraitError('PROJECT_CORRUPT', `The track file ${path} has a damaged header.`);
  }
  if (header.format !== 'portrait-track' || typeof header.version !== 'number' || typeof header.floatsPerFrame !== 'number' || header.floatsPerFrame <= 0) {
    throw new PortraitError('PROJECT_CORRUPT', `The track file ${path} has a damaged header.`);
  }
  if (header.version > TRACK_FORMAT_VERSION) {
    throw new PortraitError('PROJECT_TOO_NEW', `The track file ${path} was written by a newer Portrait Studio (track format ${header.version}; this one reads up to ${TRACK_FORMAT_VERSION}). Update the app, or track again.`);
  }
  if (header.kind !== kind) throw new PortraitError('PROJECT_CORRUPT', `The track file ${path} holds ${header.kind}, not ${kind}.`);
  if (kind === 'records' && (!Array.isArray(header.channels) || header.channels.length !== header.floatsPerFrame)) {
    throw new PortraitError('PROJECT_CORRUPT', `The track file ${path} has a damaged channel list.`);
  }
  const start = 8 + len;
  const bytes = buf.length - start;
  const whole = Math.floor(bytes / (header.floatsPerFrame * 4)) * header.floatsPerFrame * 4;
  const raw = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + whole));
  return { header, headerBytes: start, raw, legacy: false };
}

/** The payload in today's layout: the same floats when the layouts agree, else remapped by channel name. */
export function toCurrentLayout(t: ParsedTrack, kind: TrackKind, floatsPerFrame: number, path: string): Float32Array {
  if (kind === 'landmarks') {
    if (t.header.floatsPerFrame !== floatsPerFrame) throw new PortraitError('PROJECT_CORRUPT', `The landmark file ${path} has ${t.header.floatsPerFrame} floats per frame, expected ${floatsPerFrame}.`);
    return t.raw;
  }
  const from = t.header.channels!;
  const same = from.length === RECORD_CHANNELS.length && from.every((c, i) => c === RECORD_CHANNELS[i]);
  if (same) return t.raw;
  const frames = Math.floor(t.raw.length / from.length);
  const out = new Float32Array(frames * RECORD_CHANNELS.length);
  const index = new Map(from.map((c, i) => [c, i]));
  const map = RECORD_CHANNELS.map((c) => index.get(c) ?? -1);
  for (let f = 0; f < frames; f++) {
    const src = f * from.length;
    const dst = f * RECORD_CHANNELS.length;
    for (let c = 0; c < map.length; c++) if (map[c]! >= 0) out[dst + c] = t.raw[src + map[c]!]!;
  }
  return out;
}

export function currentHeader(kind: TrackKind, frames: number, floatsPerFrame: number): TrackHeader {
  return { format: 'portrait-track', version: TRACK_FORMAT_VERSION, kind, frames, floatsPerFrame, ...(kind === 'records' ? { channels: [...RECORD_CHANNELS] } : {}) };
}
