import type { ChannelId } from '../channels/declarations.js';
import { emptyChannelEdit, type ChannelEdit, type TimelineEdits } from './schema.js';

/** Read helpers over the edit document; they never mutate it. */

const EMPTY: ChannelEdit = Object.freeze({ ...emptyChannelEdit(), keys: Object.freeze([]) as unknown as ChannelEdit['keys'] });

export function channelEdit(e: TimelineEdits, id: ChannelId): ChannelEdit {
  return e.channels[id] ?? EMPTY;
}

export function anySolo(e: TimelineEdits): boolean {
  for (const id in e.channels) if (e.channels[id as ChannelId]?.solo) return true;
  return false;
}

/** Whether a channel's edit layer (keys and holds) contributes, given mute and solo. */
export function editActive(e: TimelineEdits, id: ChannelId, soloing = anySolo(e)): boolean {
  const c = e.channels[id];
  if (!c) return !soloing;
  if (c.mute) return false;
  return soloing ? c.solo : true;
}
