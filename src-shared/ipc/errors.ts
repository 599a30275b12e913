import { z } from 'zod';

/**
 * Every failure that crosses the contract is one of these codes plus a human message.
 * The UI maps codes to next steps; scripts match on codes, never on messages.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED',
  'FILE_NOT_FOUND',
  'NOT_A_VIDEO',
  'CORRUPT_MEDIA',
  'NO_FFMPEG',
  'NO_FACE',
  'PROJECT_EXISTS',
  'PROJECT_NOT_FOUND',
  'PROJECT_CORRUPT',
  'PROJECT_TOO_NEW',
  'PROJECT_LOCKED',
  'PROJECT_NOT_OPEN',
  'FILE_EXISTS',
  'DISK_FULL',
  'PERMISSION_DENIED',
  'JOB_NOT_FOUND',
  'JOB_CONFLICT',
  'CANCELLED',
  'UNSUPPORTED',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const PortraitErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Optional structured detail (e.g. which fields failed validation). */
  details: z.unknown().optional(),
});
export type PortraitErrorShape = z.infer<typeof PortraitErrorShape>;

/** Thrown by services; serialised as-is into an error reply. */
export class PortraitError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PortraitError';
    this.code = code;
    this.details = details;
  }
  toShape(): PortraitErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isPortraitError(e: unknown): e is PortraitError {
  return e instanceof PortraitError;
}

/** Node errno codes that mean something specific to a user. */
const ERRNO_MAP: Record<string, [ErrorCode, string]> = {
  ENOENT: ['FILE_NOT_FOUND', 'The file or folder does not exist'],
  ENOSPC: ['DISK_FULL', 'The disk is full; free some space and try again (nothing was lost)'],
  EDQUOT: ['DISK_FULL', 'The disk quota is exceeded; free some space and try again (nothing was lost)'],
  EACCES: ['PERMISSION_DENIED', 'Permission denied'],
  EPERM: ['PERMISSION_DENIED', 'Operation not permitted'],
  EROFS: ['PERMISSION_DENIED', 'The disk is read-only'],
  EEXIST: ['FILE_EXISTS', 'Something with that name already exists'],
  ENOTDIR: ['FILE_NOT_FOUND', 'A part of the path is a file, not a folder'],
  EISDIR: ['BAD_REQUEST', 'That is a folder; a file was expected'],
  ENAMETOOLONG: ['BAD_REQUEST', 'The path or file name is too long for this file system'],
  ELOOP: ['BAD_REQUEST', 'The path loops through symbolic links'],
  EMFILE: ['INTERNAL', 'Too many open files; close other programs and try again'],
  // Node refuses a path holding a NUL byte before any system call.
  ERR_INVALID_ARG_VALUE: ['BAD_REQUEST', 'The path contains a character no file system accepts (a NUL byte)'],
};

/** Turns anything thrown into the wire shape, never leaking a stack to the client. */
export function toErrorShape(e: unknown): PortraitErrorShape {
  if (isPortraitError(e)) return e.toShape();
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    const errno = (e as { code: string; path?: string }).code;
    const mapped = ERRNO_MAP[errno];
    if (mapped) {
      const p = (e as { path?: string }).path;
      return { code: mapped[0], message: p ? `${mapped[1]}: ${p}` : mapped[1] };
    }
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Internal error: ${message}` };
}
