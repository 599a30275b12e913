import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { useAtom } from '../hooks.js';
import { useSession } from '../session-context.js';
import { etaText } from './format.js';
import { progressBar } from '../../components/progress-bar.js';
import { count } from '../../../src-shared/text/count.js';

/** One row per imported video: track it (job with progress, ETA, cancel) and its coverage. */
export function TrackingBar() {
  const session = useSession();
  const roles = (['target', 'source'] as VideoRole[]).filter((r) => session.info.project.media[r]);
  if (roles.length === 0) {
    return (
      <Typography color="text.secondary" role="status">
        Import a target video above to start: tracking, curves and previews need it.
      </Typography>
    );
  }
  return (
    <Paper variant="outlined" component="section" aria-label="Tracking" sx={{ p: 1.5, display: 'flex', flexDirection: 'column', gap: 1 }}>
      {roles.map((r) => (
        <TrackRow key={r} role={r} />
      ))}
    </Paper>
  );
}

function TrackRow({ role }: { role: VideoRole }) {
  const session = useSession();
  const state = useAtom(session.tracking[role]);
  // The job is followed by the session: it survives this row remounting and a page reload.
  const follower = session.trackingJob[role];
  const running = useAtom(follower.job);
  const ended = useAtom(follower.ended);
  const progress = running?.progress ?? null;
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const name = role === 'target' ? 'Target' : 'Source';

  const track = (restart: boolean) => {
    setConfirming(false);
    setCancelError(null);
    void follower.start({ dir: session.info.dir, role, restart }, `Track ${role} video`);
  };

  let note: string | null = null;
  if (ended?.kind === 'succeeded') {
    const r = ended.value;
    note = `${r.framesWithFace} of ${count(r.frames, 'frame')} ${r.framesWithFace === 1 ? 'has' : 'have'} a face${r.resumedFrom ? ` (resumed from frame ${r.resumedFrom})` : ''}.${r.warnings.length ? ` ${r.warnings.join(' ')}` : ''}`;
  } else if (ended?.kind === 'cancelled') note = 'Tracking cancelled; frames tracked so far are kept and the next run resumes there.';
  const error = ended?.kind === 'failed' ? ended.error : cancelError;

  let summary: string;
  let complete = false;
  if (state.kind === 'loading') summary = 'Reading tracking…';
  else if (state.kind === 'ready') {
    const tracked = state.data.status.filter((s) => s !== 0).length;
    complete = tracked >= state.data.frameCount;
    const faces = state.data.status.filter((s) => s === 1).length;
    summary = `Tracked ${tracked} of ${count(state.data.frameCount, 'frame')}, ${faces} with a face.`;
  } else if (state.kind === 'none') summary = 'Not tracked yet.';
  else summary = 'Tracking data unavailable.';

  return (
    <Box role="group" aria-label={`${name} tracking`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        {/* A finished video is tracked again from scratch, and only after the user confirms; an unfinished one resumes. */}
        <Button variant="contained" size="small" disabled={!!running} onClick={() => (complete ? setConfirming(true) : track(false))}>
          {complete ? `Re-track ${role}` : `Track ${role}`}
        </Button>
        {running && (
          <Button size="small" color="warning" disabled={running.cancelling} onClick={() => void follower.cancel().catch(setCancelError)}>
            Cancel tracking
          </Button>
        )}
        <Typography variant="body2" aria-label={`${name} tracking status`}>
          {summary}
        </Typography>
      </Box>
      {running && (
        <Box sx={{ mt: 1 }} aria-live="polite">
          <Typography variant="caption">
            {progress ? `${progress.stage} · ${progress.done}/${progress.total} ${etaText(progress.etaSec)}` : 'Starting…'}
          </Typography>
          <LinearProgress
            {...progressBar(progress)}
            aria-label={`${role} tracking progress`}
          />
        </Box>
      )}
      {note && (
        <Typography variant="caption" role="status" sx={{ display: 'block', mt: 0.5 }}>
          {note}
        </Typography>
      )}
      {state.kind === 'error' && !running && <ErrorAlert error={state.error} />}
      <ErrorAlert
        error={error}
        onClose={() => {
          setCancelError(null);
          follower.dismiss();
        }}
      />
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby={`retrack-${role}-title`}>
        <DialogTitle id={`retrack-${role}-title`}>Re-track the {role} video?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Its tracking is complete. Tracking it again replaces the tracked curves of every frame (your keyframe edits stay, as offsets on the new curves)
            {role === 'target' ? '; a model trained before was trained on the old tracking and may need more training.' : '.'}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Keep the tracking</Button>
          <Button color="warning" variant="contained" onClick={() => track(true)}>
            Re-track
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
