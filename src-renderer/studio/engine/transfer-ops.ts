/**
 * Pure helpers behind copy/paste, hold and bake in the studio (no React, no editor state):
 * the clipboard's relative-frame maths and the guards that say why a range operation cannot
 * run. The editor turns their results into timeline commands or a notice.
 */
import type { ChannelId, Command, Hold, Keyframe, TimelineEdits } from '../../../src-shared/timeline/index.js';
import type { KeyRef } from './curve-geometry.js';

/** The studio clipboard: keys per channel, frames relative to the first copied key (0). */
export interface KeyClip {
  clip: { channel: ChannelId; keys: Keyframe[] }[];
  /** Frames from the first to the last copied key. */
  span: number;
  count: number;
}

/**
 * Copies the selected keys (of every channel they sit on), their frames made relative to the
 * earliest selected key, so pasting at frame F puts that key at F. Null when nothing is
 * selected (or the selection names keys that no longer exist).
 */
export function copyKeys(edits: TimelineEdits, refs: readonly KeyRef[]): KeyClip | null {
  const byChannel = new Map<ChannelId, Keyframe[]>();
  for (const r of refs) {
    const k = edits.channels[r.channel]?.keys.find((x) => x.frame === r.frame);
    if (!k) continue;
    byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), k]);
  }
  const all = [...byChannel.values()].flat();
  if (all.length === 0) return null;
  const first = Math.min(...all.map((k) => k.frame));
  const last = Math.max(...all.map((k) => k.frame));
  const clip = [...byChannel].map(([channel, keys]) => ({
    channel,
    keys: keys.map((k) => ({ ...k, frame: k.frame - first })).sort((a, b) => a.frame - b.frame),
  }));
  return { clip, span: last - first, count: all.length };
}

export type Guarded<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The pasteKeys command that puts a clip at frame `at`. Keys that would land outside the
 * clip [0, frameCount) are dropped (and counted), locked channels refuse.
 */
export function pasteCommand(
  clip: KeyClip | null,
  at: number,
  frameCount: number,
  locked: (c: ChannelId) => boolean,
): Guarded<{ command: Command; pasted: number; dropped: number }> {
  if (!clip || clip.count === 0) return { ok: false, reason: 'Nothing to paste: select keys and copy them first (Ctrl/⌘+C).' };
  if (frameCount <= 0) return { ok: false, reason: 'No frames to paste onto: track the target first.' };
  const lockedCh = clip.clip.find((c) => locked(c.channel));
  if (lockedCh) return { ok: false, reason: `Channel ${lockedCh.channel} is locked: unlock it to paste.` };
  let dropped = 0;
  const out: { channel: ChannelId; keys: Keyframe[] }[] = [];
  for (const c of clip.clip) {
    const keys = c.keys.filter((k) => {
      const f = k.frame + at;
      const inside = f >= 0 && f <= frameCount - 1;
      if (!inside) dropped++;
      return inside;
    });
    if (keys.length > 0) out.push({ channel: c.channel, keys });
  }
  const pasted = clip.count - dropped;
  if (pasted === 0) return { ok: false, reason: 'Every copied key would land past the end of the clip: move the playhead earlier.' };
  return { ok: true, value: { command: { type: 'pasteKeys', at, clip: out }, pasted, dropped } };
}

/** Whether the user set an in/out range (the default range is the whole clip). */
export function isRangeSet(range: { in: number; out: number }, frameCount: number): boolean {
  return frameCount > 0 && !(range.in <= 0 && range.out >= frameCount - 1);
}

/**
 * Guards shared by hold and bake: an in/out range must be set (I / O), at least one selected
 * channel, none locked. Hold also needs the range to span more than one frame (holding one
 * frame changes nothing). Returns the frames and channels to act on.
 */
export function rangeOperation(
  kind: 'hold' | 'bake',
  range: { in: number; out: number },
  frameCount: number,
  channels: readonly ChannelId[],
  locked: (c: ChannelId) => boolean,
): Guarded<{ start: number; end: number; channels: ChannelId[] }> {
  const what = kind === 'hold' ? 'hold' : 'bake';
  if (!isRangeSet(range, frameCount)) return { ok: false, reason: `Set an in/out range first (I and O at the playhead) to ${what} over it.` };
  const start = Math.max(0, Math.min(range.in, range.out));
  const end = Math.min(frameCount - 1, Math.max(range.in, range.out));
  if (kind === 'hold' && end <= start) return { ok: false, reason: 'The in/out range is a single frame: widen it to hold over it.' };
  if (channels.length === 0) return { ok: false, reason: `Select a channel to ${what} it.` };
  const lockedCh = channels.filter((c) => locked(c));
  if (lockedCh.length === channels.length) return { ok: false, reason: `The selected channel${channels.length > 1 ? 's are' : ' is'} locked.` };
  return { ok: true, value: { start, end, channels: channels.filter((c) => !locked(c)) } };
}

/** Holds of the given channels that cover a frame (for the context menu at a pointer). */
export function holdsAt(holds: readonly Hold[], channels: readonly ChannelId[], frame: number): Hold[] {
  return holds.filter((h) => channels.includes(h.channel) && h.start <= frame && frame <= h.end);
}
