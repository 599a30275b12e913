import type { AudioStreamInfo, MediaInfo } from '../../../src-shared/media/schema.js';
import { parseRotation } from './rotation.js';

/**
 * Parses the stream report that `ffmpeg -i` prints. We go through ffmpeg rather than
 * ffprobe because the bundled binaries ship ffmpeg alone. Returns null when the report
 * has no video stream.
 */
export function parseFfmpegReport(report: string): Omit<MediaInfo, 'path' | 'sizeBytes'> | null {
  const input = /Input #0, ([^,\n]+(?:,[^,\n]+)*?), from/.exec(report);
  const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(report);
  const videoLine = report.split('\n').find((l) => /Stream #0:\d+.*: Video: /.test(l) && !/attached pic/.test(l));
  if (!videoLine) return null;
  const codec = /Video: ([^\s,(]+)/.exec(videoLine)?.[1] ?? 'unknown';
  // Pixel format is the first bare token after the codec description.
  const afterCodec = videoLine.slice(videoLine.indexOf('Video: ')).split(/,\s*(?![^(]*\))/);
  const pixelFormat = (afterCodec[1] ?? 'unknown').trim().split(/[\s(]/)[0] ?? 'unknown';
  const size = /,\s*(\d{1,5})x(\d{1,5})[\s,]/.exec(videoLine);
  const fpsM = /([\d.]+)(k?) fps/.exec(videoLine);
  const tbrM = /([\d.]+)(k?) tbr/.exec(videoLine);
  const num = (m: RegExpExecArray | null) => (m ? Number(m[1]) * (m[2] === 'k' ? 1000 : 1) : NaN);
  let fps = num(fpsM);
  const tbr = num(tbrM);
  if (!Number.isFinite(fps) || fps <= 0) fps = tbr;
  if (!size || !Number.isFinite(fps) || fps <= 0) return null;
  const width = Number(size[1]);
  const height = Number(size[2]);
  const durationSec = duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : 0;

  const rot = parseRotation(report);
  const swap = rot === 90 || rot === 270;

  const audio: AudioStreamInfo[] = [];
  for (const line of report.split('\n')) {
    const m = /Stream #0:(\d+).*: Audio: ([^\s,(]+).*?(\d+) Hz, ([^,]+)/.exec(line);
    if (!m) continue;
    const layout = (m[4] ?? '').trim();
    const channels = layout === 'mono' ? 1 : layout === 'stereo' ? 2 : Number(/(\d+)/.exec(layout)?.[1] ?? 0) || 0;
    audio.push({ index: Number(m[1]), codec: m[2] ?? 'unknown', sampleRate: Number(m[3]), channels });
  }
  // Nominal (tbr) and average (fps) rates that disagree by more than 1% mean VFR.
  const variableFrameRate = Number.isFinite(tbr) && Number.isFinite(num(fpsM)) && Math.abs(tbr - num(fpsM)) / tbr > 0.01;
  return {
    container: (input?.[1] ?? 'unknown').trim(),
    durationSec,
    fps,
    variableFrameRate,
    frameCount: Math.max(0, Math.round(durationSec * fps)),
    width,
    height,
    rotation: rot,
    displayWidth: swap ? height : width,
    displayHeight: swap ? width : height,
    videoCodec: codec,
    pixelFormat,
    audio,
  };
}
