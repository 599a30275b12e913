/**
 * The render codecs, declared once (issue 18): the contract's enum, the encoder's ffmpeg
 * arguments, the output-name rules, the check of the finished file, the CLI's help and the
 * render dialog's menu all read this table. Adding a codec is one row here (plus nothing else,
 * unless it needs a new kind of output).
 */
export interface CodecSpec {
  /** What the render dialog and the CLI call it. */
  label: string;
  /** 'video': one file ffprobe can count; 'frames': a folder of numbered images. */
  kind: 'video' | 'frames';
  /** Output file extensions accepted (lower case, with the dot); the first is the default. */
  extensions: readonly string[];
  /** ffmpeg output arguments for the video stream; `{crf}` is replaced by the quality setting. */
  video: readonly string[];
  /** ffmpeg arguments for the audio stream, or null when this output carries no sound. */
  audio: readonly string[] | null;
  /** Whether the CRF quality setting applies. */
  usesCrf: boolean;
  /** Whether a browser's <video> plays it (the studio's player). */
  playsInBrowser: boolean;
  /** ffmpeg container flags of the output file, kept when farm segments are joined without re-encoding. */
  container: readonly string[];
  /**
   * How a render farm joins its chunks: 'concat' (every segment starts a closed GOP, so ffmpeg's
   * concat demuxer copies them end to end), 'frames' (numbered images moved into one folder), or
   * null when segments of this codec cannot be joined without re-encoding (the farm refuses it).
   */
  farmJoin: 'concat' | 'frames' | null;
}

export const RENDER_CODECS = {
  h264: {
    label: 'H.264 (mp4)',
    kind: 'video',
    extensions: ['.mp4', '.mov', '.m4v', '.mkv'],
    // x264's GOPs are closed by default and every encode starts with an IDR frame: farm segments concat.
    video: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '{crf}', '-pix_fmt', 'yuv420p'],
    audio: ['-c:a', 'aac', '-b:a', '192k'],
    usesCrf: true,
    playsInBrowser: true,
    container: ['-movflags', '+faststart'],
    farmJoin: 'concat',
  },
  prores: {
    label: 'ProRes 422 (mov)',
    kind: 'video',
    extensions: ['.mov', '.mkv'],
    video: ['-c:v', 'prores_ks', '-profile:v', '2', '-pix_fmt', 'yuv422p10le'],
    audio: ['-c:a', 'pcm_s16le'],
    usesCrf: false,
    playsInBrowser: false,
    container: [],
    // Intra-only: every frame stands alone.
    farmJoin: 'concat',
  },
  ffv1: {
    label: 'FFV1 lossless (mkv)',
    kind: 'video',
    extensions: ['.mkv'],
    // Every frame a keyframe: a lossless intermediate that cuts and joins anywhere (farm segments).
    video: ['-c:v', 'ffv1', '-level', '3', '-g', '1', '-slices', '4', '-pix_fmt', 'yuv444p'],
    audio: ['-c:a', 'flac'],
    usesCrf: false,
    playsInBrowser: false,
    container: [],
    farmJoin: 'concat',
  },
  png: {
    label: 'PNG sequence',
    kind: 'frames',
    extensions: [],
    video: ['-f', 'image2', '-c:v', 'png'],
    audio: null,
    usesCrf: false,
    playsInBrowser: false,
    container: [],
    farmJoin: 'frames',
  },
} as const satisfies Record<string, CodecSpec>;

export type CodecId = keyof typeof RENDER_CODECS;
export const CODEC_IDS = Object.keys(RENDER_CODECS) as [CodecId, ...CodecId[]];

export function codecSpec(id: CodecId): CodecSpec {
  return RENDER_CODECS[id];
}

/** The extension a new output of this codec gets ('' for a folder of frames). */
export function defaultExtension(id: CodecId): string {
  return codecSpec(id).extensions[0] ?? '';
}

/** Why `path` cannot hold this codec's output, or null when it can. */
export function outputNameProblem(id: CodecId, path: string): string | null {
  const spec = codecSpec(id);
  if (spec.kind === 'frames') return null;
  const ext = /\.[^./\\]+$/.exec(path)?.[0]?.toLowerCase() ?? '';
  if (spec.extensions.includes(ext)) return null;
  const list = spec.extensions.length > 1 ? `${spec.extensions.slice(0, -1).join(', ')} or ${spec.extensions.at(-1)}` : spec.extensions[0];
  return `The output must end in ${list} for ${spec.label} (got ${path}).`;
}

/** Every extension some codec writes (to swap one for another when the codec changes). */
export const ALL_VIDEO_EXTENSIONS: readonly string[] = [...new Set(CODEC_IDS.flatMap((id) => [...codecSpec(id).extensions]))];
