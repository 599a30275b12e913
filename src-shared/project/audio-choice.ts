import type { ProjectFile } from './schema.js';

/** Where a render's sound comes from. */
export type AudioChoice = 'target' | 'source' | 'none';

type Media = ProjectFile['media'];

function hasAudio(media: Media, role: 'target' | 'source'): boolean {
  return (media[role]?.probe.audio.length ?? 0) > 0;
}

/**
 * The audio a render takes when nobody chose: with the transfer on, the source's (its speech
 * is what the mouth now performs), else the target's; a video without audio is never the
 * default, so a first render with the defaults cannot fail on its sound.
 */
export function defaultAudio(media: Media, transferEnabled: boolean): AudioChoice {
  if (transferEnabled && hasAudio(media, 'source')) return 'source';
  if (hasAudio(media, 'target')) return 'target';
  return 'none';
}

/** Why `choice` cannot work for this project (a sentence for the user), or null when it can. */
export function audioProblem(media: Media, choice: AudioChoice): string | null {
  if (choice === 'none') return null;
  if (!media[choice]) return `There is no ${choice} video to take the audio from; choose another audio option or No audio.`;
  if (!hasAudio(media, choice)) return `The ${choice} video has no audio track; choose another audio option or No audio.`;
  return null;
}
