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
  const h = parseTrackHeader(buf, buf.length, kind, floatsPerFrame, path);
  const whole = h.frames * h.header.floatsPerFrame * 4;
  const raw = new Float32Array(buf.buffer.slice(buf.byteOffset + h.headerBytes, buf.byteOffset + h.headerBytes + whole));
  return { header: h.header, headerBytes: h.headerBytes, raw, legacy: h.legacy };
}

/** Bytes to read from a track file's start to hold its whole header (8 before the length is known). */
export function trackHeaderBytes(head: Buffer): number {
  if (head.length < 8 || !head.subarray(0, 4).equals(TRACK_MAGIC)) return 0;
  return 8 + head.readUInt32LE(4);
}

export interface TrackFileLayout {
  header: TrackHeader;
  /** Bytes before the payload (0 for a headerless file). */
  headerBytes: number;
  legacy: boolean;
  /** Whole frames in the payload. */
  frames: number;
}

/**
 * A track file's header and frame count, from its first bytes (`head`: at least
 * trackHeaderBytes(head) of them, or the whole file when shorter) and its size; so a reader can
 * seek to frames without reading the file whole.
 */
export function parseTrackHeader(head: Buffer, fileSize: number, kind: TrackKind, floatsPerFrame: number, path: string): TrackFileLayout {
  if (fileSize < 8 || !head.subarray(0, 4).equals(TRACK_MAGIC)) {
    const perFrame = kind === 'records' ? LEGACY_RECORD_CHANNELS.length : floatsPerFrame;
    if (fileSize % (perFrame * 4) !== 0) throw new PortraitError('PROJECT_CORRUPT', `The track file ${path} is damaged (its size is not a whole number of frames).`);
    return {
      header: { format: 'portrait-track', version: 0, kind, frames: fileSize / (perFrame * 4), floatsPerFrame: perFrame, ...(kind === 'records' ? { channels: [...LEGACY_RECORD_CHANNELS] } : {}) },
      headerBytes: 0,
      legacy: true,
      frames: fileSize / (perFrame * 4),
    };
  }
  const len = head.readUInt32LE(4);
  let header: TrackHeader;
  try {
    header = JSON.parse(head.subarray(8, 8 + len).toString('utf8')) as TrackHeader;
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
  const frames = Math.max(0, Math.floor((fileSize - start) / (header.floatsPerFrame * 4)));
  return { header, headerBytes: start, legacy: false, frames };
}

/**
 * Today's record positions of a file's channels: out[c] = the file's index of RECORD_CHANNELS[c]
 * (-1: missing, read as 0); null when the layouts agree.
 */
export function recordLayoutMap(fileChannels: readonly string[]): Int32Array | null {
  const same = fileChannels.length === RECORD_CHANNELS.length && fileChannels.every((c, i) => c === RECORD_CHANNELS[i]);
  if (same) return null;
  const index = new Map(fileChannels.map((c, i) => [c, i]));
  return Int32Array.from(RECORD_CHANNELS.map((c) => index.get(c) ?? -1));
}

/** Frames of a payload in another record layout (`from` floats per frame) into today's. */
export function remapRecords(raw: Float32Array, from: number, map: Int32Array, out: Float32Array = new Float32Array(Math.floor(raw.length / from) * map.length)): Float32Array {
  const frames = Math.floor(raw.length / from);
  const to = map.length;
  for (let f = 0; f < frames; f++) {
    const src = f * from;
    const dst = f * to;
    for (let c = 0; c < to; c++) out[dst + c] = map[c]! >= 0 ? raw[src + map[c]!]! : 0;
  }
  return out;
}

/** The payload in today's layout: the same floats when the layouts agree, else remapped by channel name. */
export function toCurrentLayout(t: ParsedTrack, kind: TrackKind, floatsPerFrame: number, path: string): Float32Array {
  if (kind === 'landmarks') {
    if (t.header.floatsPerFrame !== floatsPerFrame) throw new PortraitError('PROJECT_CORRUPT', `The landmark file ${path} has ${t.header.floatsPerFrame} floats per frame, expected ${floatsPerFrame}.`);
    return t.raw;
  }
  const from = t.header.channels!;
  const map = recordLayoutMap(from);
  return map ? remapRecords(t.raw, from.length, map) : t.raw;
}

export function currentHeader(kind: TrackKind, frames: number, floatsPerFrame: number): TrackHeader {
  return { format: 'portrait-track', version: TRACK_FORMAT_VERSION, kind, frames, floatsPerFrame, ...(kind === 'records' ? { channels: [...RECORD_CHANNELS] } : {}) };
}
