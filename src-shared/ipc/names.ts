import { z } from 'zod';

export type PathPlatform = 'posix' | 'win32' | 'any';

const ABSOLUTE: Record<PathPlatform, RegExp> = {
  posix: /^\//,
  // A root-relative `\\x` or `/x` is absolute to Node on Windows too (the current drive).
  win32: /^(\/|[A-Za-z]:[\\/]|\\\\)/,
  any: /^(\/|[A-Za-z]:[\\/]|\\\\)/,
};

/**
 * An absolute path on `platform`: a relative one would resolve against wherever the host runs
 * (on Linux `C:\\x` is a relative name: a project created there lands in the host's working
 * folder). The page cannot know the host's platform (it may be another machine) and accepts
 * both forms; the host checks its own.
 */
export function absPathOn(platform: PathPlatform) {
  return z
    .string()
    .min(1, 'a path is required')
    .max(4096)
    .regex(ABSOLUTE[platform], platform === 'any' ? 'an absolute path is required' : `an absolute path on this ${platform === 'posix' ? 'POSIX' : 'Windows'} machine is required`)
    .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL byte');
}

/** The platform of the process validating: its own under Node (the host), both forms in a page. */
function validatingPlatform(): PathPlatform {
  const proc = (globalThis as { process?: { platform?: string; versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return 'any';
  return proc.platform === 'win32' ? 'win32' : 'posix';
}

export const AbsPath = absPathOn(validatingPlatform());
/** A snapshot is named, never pathed: no separators, no leading dot (so never "..", never hidden). */
export const SnapshotName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^(?!\.)[\w .-]+$/, 'letters, digits, space, dot, dash, underscore; not starting with a dot');
