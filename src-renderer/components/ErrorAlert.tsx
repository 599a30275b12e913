import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { errorText } from '../state/error-text.js';

export function ErrorAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  if (!error) return null;
  const t = errorText(error);
  return (
    <Alert severity="error" onClose={onClose} role="alert" data-code={t.code}>
      <AlertTitle>{t.title}</AlertTitle>
      {t.hint}
    </Alert>
  );
}
