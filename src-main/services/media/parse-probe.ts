import type { AudioStreamInfo, MediaInfo } from '../../../src-shared/media/schema.js';
import { parseRotation, type Rotation } from './rotation.js';

/**
 * What `ffmpeg -i` prints about a file, parsed once: the one banner parser of the studio. The
 * probe (MediaInfo, below) and the decoder's stream header (video/header.ts) both derive from
 * it, so they cannot disagree on size, rate or rotation. We go through ffmpeg rather than
 * ffprobe because the bundled binaries ship ffmpeg alone.
 */
export interface BannerFacts {
  container: string;
  durationSec: number;
  /** the input's start time (0 when not printed) */
  startSec: number;
  /** average rate (fps), or the nominal one (tbr) when the average is missing */
  fps: number;
  /** nominal rate (tbr); NaN when not printed */
  tbr: number;
  /** average rate as printed; NaN when not printed */
  avgFps: number;
  /** coded size of the first video stream */
  width: number;
  height: number;
  /** clockwise display rotation, from the video stream's own block */
  rotation: Rotation;
  videoCodec: string;
  pixelFormat: string;
  audio: AudioStreamInfo[];
}

/** The banner's facts; null when it has no (non-cover-art) video stream with a size and a rate. */
export function parseBanner(report: string): BannerFacts | null {
  const input = /Input #0, ([^,\n]+(?:,[^,\n]+)*?), from/.exec(report);
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(report);
  const start = /start: (-?[\d.]+)/.exec(report);
  const lines = report.split('\n');
  const at = lines.findIndex((l) => /Stream #\d+:\d+.*: Video: /.test(l) && !/attached pic/.test(l));
  if (at < 0) return null;
  const videoLine = lines[at]!;
  const codec = /Video: ([^\s,(]+)/.exec(videoLine)?.[1] ?? 'unknown';
  // Pixel format is the first bare token after the codec description.
  const afterCodec = videoLine.slice(videoLine.indexOf('Video: ')).split(/,\s*(?![^(]*\))/);
  const pixelFormat = (afterCodec[1] ?? 'unknown').trim().split(/[\s(]/)[0] ?? 'unknown';
  const size = /,\s*(\d{1,5})x(\d{1,5})[\s,[]/.exec(videoLine);
  const num = (m: RegExpExecArray | null) => (m ? Number(m[1]) * (m[2] === 'k' ? 1000 : 1) : NaN);
  const avgFps = num(/([\d.]+)(k?) fps/.exec(videoLine));
  const tbr = num(/([\d.]+)(k?) tbr/.exec(videoLine));
  const fps = Number.isFinite(avgFps) && avgFps > 0 ? avgFps : tbr;
  if (!size || !Number.isFinite(fps) || fps <= 0) return null;
  // Rotation (tag or display matrix) is printed in the stream's own block, after its Stream line.
  const next = lines.findIndex((l, i) => i > at && /^\s*Stream #/.test(l));
  const rotation = parseRotation(lines.slice(at + 1, next < 0 ? undefined : next).join('\n'));

  const audio: AudioStreamInfo[] = [];
  for (const line of lines) {
    const m = /Stream #0:(\d+).*: Audio: ([^\s,(]+).*?(\d+) Hz, ([^,]+)/.exec(line);
    if (!m) continue;
    const layout = (m[4] ?? '').trim();
    const channels = layout === 'mono' ? 1 : layout === 'stereo' ? 2 : Number(/(\d+)/.exec(layout)?.[1] ?? 0) || 0;
    audio.push({ index: Number(m[1]), codec: m[2] ?? 'unknown', sampleRate: Number(m[3]), channels });
  }
  return {
    container: (input?.[1] ?? 'unknown').trim(),
    durationSec: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : 0,
    startSec: start ? Number(start[1]) : 0,
    fps,
    tbr,
    avgFps,
    width: Number(size[1]),
    height: Number(size[2]),
    rotation,
    videoCodec: codec,
    pixelFormat,
    audio,
  };
}

/** The probe's view of the banner (MediaInfo without path and size); null without a video stream. */
export function parseFfmpegReport(report: string): Omit<MediaInfo, 'path' | 'sizeBytes'> | null {
  const b = parseBanner(report);
  if (!b) return null;
  const swap = b.rotation === 90 || b.rotation === 270;
  // Nominal (tbr) and average (fps) rates that disagree by more than 1% mean VFR.
  const variableFrameRate = Number.isFinite(b.tbr) && Number.isFinite(b.avgFps) && Math.abs(b.tbr - b.avgFps) / b.tbr > 0.01;
  return {
    container: b.container,
    durationSec: b.durationSec,
    fps: b.fps,
    variableFrameRate,
    frameCount: Math.max(0, Math.round(b.durationSec * b.fps)),
    width: b.width,
    height: b.height,
    rotation: b.rotation,
    displayWidth: swap ? b.height : b.width,
    displayHeight: swap ? b.width : b.height,
    videoCodec: b.videoCodec,
    pixelFormat: b.pixelFormat,
    audio: b.audio,
  };
}
