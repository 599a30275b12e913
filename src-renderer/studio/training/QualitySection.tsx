import { useEffect } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useAtom } from '../hooks.js';
import { useSession } from '../session-context.js';
import { progressView } from '../engine/quality-format.js';
import { StudioError, type NextSteps } from '../ui/StudioError.js';
import { EmptyState } from '../viewer/Panel.js';
import { QualityTable } from './QualityTable.js';

const NEXT: NextSteps = {
  BAD_REQUEST: 'Evaluation needs a tracked target video and a trained checkpoint: train the target actor first, then evaluate.',
  PROJECT_CORRUPT: 'The checkpoint could not be read: roll back to a snapshot, or evaluate another one.',
  DEFAULT: 'Fix the cause shown above and evaluate again.',
};

/**
 * The Quality section of the training dashboard: evaluate the latest checkpoint (or, from the
 * snapshot list, a snapshot), follow the job (progress, stage, cancel), and show the newest
 * report kept in the project beside its no-network baselines.
 */
export function QualitySection() {
  const session = useSession();
  const ev = session.training.evaluation;
  const reports = useAtom(ev.reports);
  const loaded = useAtom(ev.loaded);
  const listError = useAtom(ev.listError);
  const job = useAtom(ev.job);
  const error = useAtom(ev.error);
  const note = useAtom(ev.note);
  const pixelsOnly = useAtom(ev.pixelsOnly);
  const status = useAtom(session.training.status);
  // Unknown until training.status answers: then the service says what is missing.
  const noCheckpoint = status !== null && status.checkpoints.length === 0;
  const latest = reports[0] ?? null;
  const pv = progressView(job?.progress ?? null);

  useEffect(() => {
    // While nothing runs here, pick up evaluations made elsewhere (CLI, another window) now and then.
    if (job) return;
    const id = setInterval(() => void ev.refresh(), 30_000);
    return () => clearInterval(id);
  }, [job, ev]);

  return (
    <Box component="section" aria-label="Quality" sx={{ display: 'flex', flexDirection: 'column', gap: 1, borderTop: 1, borderColor: 'divider', pt: 1.5 }}>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 600 }}>
        Quality
      </Typography>
      <Typography variant="caption" color="text.secondary">
        Measures the network on held-out frames beside predictors that use no network (the mean training crop, the training frame with the nearest parameters, an oracle that picks the closest
        training frame, and the face model drawn with the actor’s texture, averaged or from the frames nearest in parameters): a figure only means something beside them.
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        {!job ? (
          <Button variant="outlined" size="small" disabled={noCheckpoint} onClick={() => void ev.start({ pixelsOnly })}>
            Evaluate latest checkpoint
          </Button>
        ) : (
          <Button variant="outlined" color="warning" size="small" disabled={job.cancelling} onClick={() => void ev.cancel()}>
            {job.cancelling ? 'Cancelling…' : 'Cancel evaluation'}
          </Button>
        )}
        <FormControlLabel
          disabled={!!job}
          control={<Checkbox size="small" checked={pixelsOnly} onChange={(e) => ev.pixelsOnly.set(e.target.checked)} />}
          label={
            <Typography variant="body2" component="span">
              pixels only (fast){' '}
              <Typography component="span" variant="caption" color="text.secondary">
                no identity, no re-tracking (control, edits)
              </Typography>
            </Typography>
          }
        />
        {noCheckpoint && !job && (
          <Typography variant="caption" role="note">
            Train the target actor first: evaluation needs a checkpoint.
          </Typography>
        )}
      </Box>

      {job && (
        <Box aria-live="polite">
          <Typography variant="caption" aria-label="Evaluation progress text">
            {job.label} · {pv.text}
            {job.cancelling ? ' · cancelling' : ''}
          </Typography>
          <LinearProgress variant={pv.variant} value={pv.value} aria-label="Evaluation progress" />
        </Box>
      )}
      {note && (
        <Alert severity={note.severity} role="status" onClose={() => ev.note.set(null)}>
          {note.text}
        </Alert>
      )}
      <StudioError error={error} next={NEXT} onClose={() => ev.error.set(null)} label="Evaluation error" />
      <StudioError error={listError} next={{ DEFAULT: 'The kept evaluation reports could not be read; they are re-read every 30 seconds.' }} />

      {latest?.strip && (
        <Box component="figure" sx={{ m: 0 }}>
          <img src={latest.strip} alt={`Held-out frames: conditioning, network, ${latest.baselines.texturedModel ? 'textured face model, ' : ''}nearest-parameters baseline, real`} style={{ maxWidth: '100%', imageRendering: 'pixelated' }} />
          <Typography component="figcaption" variant="caption" color="text.secondary">
            Held-out frames, one per row: conditioning | network | {latest.baselines.texturedModel ? 'textured face model (no network) | ' : ''}nearest-parameters training frame | real
          </Typography>
        </Box>
      )}
      {latest ? <QualityTable report={latest} /> : <EmptyState>{loaded ? 'No evaluation yet: evaluate a checkpoint to see how the network compares with the baselines.' : 'Reading the evaluation reports…'}</EmptyState>}
    </Box>
  );
}
