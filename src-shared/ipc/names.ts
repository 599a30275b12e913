import { z } from 'zod';

/** An absolute path (POSIX, a Windows drive or UNC share): a relative one would resolve against wherever the host runs. */
export const AbsPath = z
  .string()
  .min(1, 'a path is required')
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'an absolute path is required')
  .refine((p) => !p.includes('\0'), 'a path cannot contain a NUL byte');
/** A snapshot is named, never pathed: no separators, no leading dot (so never "..", never hidden). */
export const SnapshotName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^(?!\.)[\w .-]+$/, 'letters, digits, space, dot, dash, underscore; not starting with a dot');
