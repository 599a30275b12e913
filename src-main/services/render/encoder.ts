import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { resolveFfmpeg } from '../media/ffmpeg.js';
import { codecSpec, type CodecId } from '../../../src-shared/output/codecs.js';

export interface EncoderOptions {
  width: number;
  height: number;
  fps: number;
  codec: CodecId;
  crf: number;
  /** Output path: a file for h264/prores, a `%06d.png` pattern for png. */
  out: string;
  audio: { path: string; startSec: number; durationSec: number; delaySec: number } | null;
  /** The ffmpeg binary; the resolved one unless given (tests put a misbehaving one here). */
  ffmpeg?: string;
}

const WRITE_FAILED = /No space left on device|Error writing trailer|Error closing file|I\/O error|Disk quota exceeded/i;

export function encoderArgs(o: EncoderOptions): string[] {
  const args = ['-hide_banner', '-nostdin', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${o.width}x${o.height}`, '-r', String(o.fps), '-i', 'pipe:0'];
  const spec = codecSpec(o.codec);
  const sound = audioArgs(o.codec, o.audio, 1);
  args.push(...sound.input, '-map', '0:v:0', ...sound.map);
  args.push(...spec.video.map((a) => (a === '{crf}' ? String(o.crf) : a)));
  args.push(...sound.codec, ...spec.container, o.out);
  return args;
}

/**
 * The sound's part of an ffmpeg command (input `inputIndex`): seek the track to the range start,
 * delay it when it starts later, pad it with silence so a short track still matches the video
 * length, cut it to that length. Shared by the encoder and the farm's join, so both mux the
 * same audio.
 */
export function audioArgs(codec: CodecId, audio: EncoderOptions['audio'], inputIndex: number): { input: string[]; map: string[]; codec: string[] } {
  const spec = codecSpec(codec);
  if (audio === null || spec.audio === null) return { input: [], map: [], codec: [] };
  const ms = Math.round(audio.delaySec * 1000);
  return {
    input: ['-ss', audio.startSec.toFixed(6), '-i', audio.path],
    map: ['-map', `${inputIndex}:a:0`, '-af', ms > 0 ? `adelay=${ms}|${ms}:all=1,apad` : 'apad', '-t', audio.durationSec.toFixed(6)],
    codec: [...spec.audio],
  };
}

/**
 * Streams RGB frames into ffmpeg with backpressure: the video never sits in memory.
 * Errors name the cause (a full disk is DISK_FULL) instead of a broken pipe.
 */
export class FrameEncoder {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  private readonly exited: Promise<number | null>;

  constructor(opts: EncoderOptions) {
    this.child = spawn(opts.ffmpeg ?? resolveFfmpeg().path, encoderArgs(opts), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-20_000);
    });
    this.child.stdin.on('error', () => {
      /* reported through the exit code */
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  async write(rgb: Uint8Array): Promise<void> {
    if (this.child.exitCode !== null) throw this.failure();
    const ok = this.child.stdin.write(rgb);
    if (!ok) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.child.stdin.off('drain', done);
          this.child.off('close', done);
          resolve();
        };
        this.child.stdin.on('drain', done);
        this.child.on('close', done);
      });
      if (this.child.exitCode !== null && this.child.exitCode !== 0) throw this.failure();
    }
  }

  async finish(): Promise<void> {
    this.child.stdin.end();
    const code = await this.exited;
    // ffmpeg can exit 0 after a failed write (the trailer onto a full disk): its log decides too.
    if (code !== 0 || WRITE_FAILED.test(this.stderr)) throw this.failure();
  }

  /** Kills ffmpeg and waits until it is reaped (a worker thread may end right after). */
  async abort(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const reaped = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await reaped;
  }

  private failure(): PortraitError {
    if (/No space left on device|Disk quota exceeded/i.test(this.stderr)) return new PortraitError('DISK_FULL', 'The disk filled up while rendering; the partial file was removed. Free some space and render again.');
    if (/Permission denied|Read-only file system/i.test(this.stderr)) return new PortraitError('PERMISSION_DENIED', 'The render output cannot be written there (permission denied or a read-only disk); choose another folder.');
    const last = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return new PortraitError('INTERNAL', `The video encoder failed: ${last}`);
  }
}
