import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { isPortraitError, type ErrorCode } from '../../../src-shared/ipc/errors.js';
import { errorText } from '../../state/error-text.js';

/** Next steps for codes the app-wide table leaves open, in the studio's contexts. */
export type NextSteps = Partial<Record<ErrorCode | 'DEFAULT', string>>;

const COMMON: NextSteps = {
  UNSUPPORTED: 'This studio host does not offer that yet: update Portrait Studio (or the remote host) and try again.',
  UNKNOWN_CHANNEL: 'This studio host is an older version without that feature: update it and try again.',
  JOB_CONFLICT: 'Wait for the running job to finish, or cancel it in the Jobs bar, then try again.',
  INTERNAL: 'Try again; if it keeps failing, restart the studio host and report the message.',
};

/** An error with a next step: the app's table first, then the context's, then a general one. */
export function StudioError({ error, next, onClose, label }: { error: unknown; next?: NextSteps; onClose?: () => void; label?: string }) {
  if (!error) return null;
  const t = errorText(error);
  const code = isPortraitError(error) ? error.code : 'INTERNAL';
  const hint = t.hint ?? next?.[code] ?? COMMON[code] ?? next?.DEFAULT ?? null;
  return (
    <Alert severity="error" onClose={onClose} role="alert" data-code={t.code} aria-label={label}>
      <AlertTitle>{t.title}</AlertTitle>
      {hint}
    </Alert>
  );
}
