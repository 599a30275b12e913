import { useEffect, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useAtom } from '../hooks.js';
import { useClient } from '../../state/client-context.js';
import type { TrainingBackend } from '../../../src-shared/ipc/contract.js';
import { useSession } from '../session-context.js';
import { StudioError, type NextSteps } from '../ui/StudioError.js';
import { LossCharts } from './LossCharts.js';
import { SnapshotList } from './SnapshotList.js';
import { QualitySection } from './QualitySection.js';
import { fmtDuration, isProfileId, mergeSeries, missingSpans, PROFILE_IDS, PROFILE_INFO, stepsField, trainingEta, type ProfileId } from '../engine/training-series.js';
import { EmptyState } from '../viewer/Panel.js';
import { progressBar } from '../../components/progress-bar.js';
import { count } from '../../../src-shared/text/count.js';

const NEXT: NextSteps = {
  BAD_REQUEST: 'Check that the target video is tracked and that the profile matches the checkpoints (or restart from scratch).',
  PROJECT_LOCKED: 'Another process is training this project: stop it there first, or wait for it to finish.',
  PROJECT_CORRUPT: 'Roll back to a snapshot or restart from scratch.',
  DEFAULT: 'Check the message, fix the cause, then start again: completed steps are kept in the last checkpoint.',
};

/**
 * The training dashboard: profile and steps, start/resume, pause (cancel: the job writes a
 * checkpoint), restart from scratch, live losses and validation, the latest sample grid, the
 * backend in use, steps/s and ETA, named snapshots with roll back, and the Quality section
 * (evaluation of the latest checkpoint or a snapshot beside no-network baselines).
 */
export function TrainingPanel() {
  const session = useSession();
  const t = session.training;
  const status = useAtom(t.status);
  const statusError = useAtom(t.statusError);
  const job = useAtom(t.job);
  const live = useAtom(t.live);
  const error = useAtom(t.error);
  const note = useAtom(t.note);
  const tracking = useAtom(session.tracking.target);

  const client = useClient();
  // The profile that suits this machine's training backend (found once by the host).
  const [advice, setAdvice] = useState<TrainingBackend | null>(null);
  useEffect(() => {
    let live = true;
    client.call('training.backend', {}).then((a) => live && setAdvice(a), () => {});
    return () => {
      live = false;
    };
  }, [client]);
  // What this project trained with, else what it was set to, else what suits the backend.
  const initial: ProfileId = isProfileId(status?.profile)
    ? status.profile
    : isProfileId(session.info.project.settings.profile)
      ? session.info.project.settings.profile
      : (advice?.profile ?? 'cpu');
  const [profile, setProfile] = useState<ProfileId | null>(null);
  const chosen = profile ?? initial;
  const [steps, setSteps] = useState<string>('');
  // Until edited: the running job's target (after a re-attach), else the profile's default.
  const runningTotal = job?.progress?.total || null;
  const field = stepsField(steps, { runningTotal, profileDefault: PROFILE_INFO[chosen].defaultSteps, lastStep: status?.lastStep ?? null });
  const stepsValue = field.value;
  const stepsValid = field.valid;
  const [confirmRestart, setConfirmRestart] = useState(false);

  const series = useMemo(() => mergeSeries(status?.history ?? [], live), [status?.history, live]);
  const missing = useMemo(() => missingSpans(status?.history ?? [], live), [status?.history, live]);
  const latest = series.at(-1) ?? null;
  const hasCheckpoint = (status?.checkpoints.length ?? 0) > 0;
  const lastStep = status?.lastStep ?? null;
  const p = job?.progress ?? null;
  const eta = trainingEta(p, latest?.stepsPerSec ?? null);
  const tracked = tracking.kind === 'ready';
  const profileMismatch = hasCheckpoint && status?.profile && status.profile !== chosen;

  useEffect(() => {
    // While nothing runs, pick up changes made elsewhere (CLI, another window) now and then.
    if (job) return;
    const id = setInterval(() => void t.refresh(), 15_000);
    return () => clearInterval(id);
  }, [job, t]);

  const start = (resume: boolean) =>
    void t.start(
      { profile: chosen, steps: stepsValue, resume },
      resume && hasCheckpoint ? `Resuming from step ${lastStep ?? 0}…` : 'Starting training from scratch…',
    );

  return (
    <Paper variant="outlined" component="section" aria-label="Training" sx={{ p: 1.5, display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        Training
      </Typography>
      {!tracked && <Alert severity="info">Track the target video first: training learns from its tracked frames.</Alert>}

      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <FormControl component="fieldset" disabled={!!job}>
          <FormLabel component="legend" id="training-profile-label">
            Network profile
          </FormLabel>
          <RadioGroup aria-labelledby="training-profile-label" value={chosen} onChange={(e) => setProfile(e.target.value as ProfileId)}>
            {PROFILE_IDS.map((id) => (
              <FormControlLabel
                key={id}
                value={id}
                control={<Radio size="small" />}
                label={
                  <span>
                    <strong>{id}</strong>{' '}
                    <Typography component="span" variant="caption" color="text.secondary">
                      {PROFILE_INFO[id].description}
                    </Typography>
                  </span>
                }
              />
            ))}
          </RadioGroup>
          {advice && (
            <Typography variant="caption" color="text.secondary" aria-label="Profile suggestion" sx={{ maxWidth: 560 }}>
              Suggested: {advice.profile}. {advice.why}
            </Typography>
          )}
        </FormControl>
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, minWidth: 220 }}>
          <TextField
            label="Total steps"
            size="small"
            type="number"
            value={steps === '' ? String(stepsValue) : steps}
            onChange={(e) => setSteps(e.target.value)}
            disabled={!!job}
            error={!stepsValid || (hasCheckpoint && !field.resumable)}
            helperText={field.help}
            slotProps={{ htmlInput: { min: 1, step: 100 } }}
          />
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            {!job ? (
              <Button variant="contained" size="small" disabled={!tracked || !field.resumable} onClick={() => start(true)}>
                {hasCheckpoint ? 'Resume training' : 'Start training'}
              </Button>
            ) : (
              <Button variant="contained" color="warning" size="small" disabled={job.cancelling} onClick={() => void t.pause()}>
                {job.cancelling ? 'Pausing…' : 'Pause training'}
              </Button>
            )}
            <Button size="small" color="error" variant="outlined" disabled={!!job || !tracked || !hasCheckpoint || !stepsValid} onClick={() => setConfirmRestart(true)}>
              Restart from scratch
            </Button>
          </Box>
          {profileMismatch && !job && (
            <Typography variant="caption" color="warning.main" role="note">
              The checkpoints were trained with “{status?.profile}”: resuming needs that profile; another one needs a restart from scratch.
            </Typography>
          )}
        </Box>
      </Box>

      <TrainingFacts />

      {job && (
        <Box aria-live="polite">
          <Typography variant="caption" aria-label="Training progress text">
            {p ? `${p.stage} · step ${p.done} of ${p.total}` : 'Starting…'}
            {latest && job ? ` · ${latest.stepsPerSec.toFixed(2)} steps/s` : ''} · ETA {fmtDuration(eta)}
            {job.cancelling ? ' · pausing: writing a checkpoint' : ''}
          </Typography>
          <LinearProgress
            {...progressBar(p)}
            aria-label="Training progress"
          />
        </Box>
      )}
      {note && (
        <Alert severity={note.severity} role="status" onClose={() => t.note.set(null)}>
          {note.text}
        </Alert>
      )}
      <StudioError error={error} next={NEXT} onClose={() => t.error.set(null)} />
      <StudioError error={statusError} next={{ DEFAULT: 'The training state could not be read; it is re-read every few seconds.' }} />

      <Typography variant="body2" aria-label="Current training step">
        {latest ? `Step ${latest.step}` : lastStep !== null ? `Step ${lastStep}` : 'No steps trained yet'}
        {latest ? ` · G ${latest.lossG.toFixed(3)} · D ${latest.lossD.toFixed(3)} · L1 ${latest.lossL1.toFixed(3)}` : ''}
      </Typography>
      <LossCharts series={series} missing={missing} />

      <Box sx={{ display: 'grid', gridTemplateColumns: { md: '1fr 1fr' }, gap: 1.5 }}>
        <Box component="figure" sx={{ m: 0 }}>
          <Typography variant="caption" component="figcaption" sx={{ fontWeight: 600, display: 'block' }}>
            Latest sample (held-out frame): conditioning | output | ground truth
          </Typography>
          {status?.sample ? (
            <img src={status.sample} alt="Latest training sample: conditioning, output and ground truth" style={{ width: '100%', maxWidth: 480, imageRendering: 'pixelated' }} />
          ) : (
            <EmptyState>No sample yet: one is written at each validation.</EmptyState>
          )}
        </Box>
        <SnapshotList profile={chosen} steps={stepsValue} />
      </Box>

      <QualitySection />

      <Dialog open={confirmRestart} onClose={() => setConfirmRestart(false)} aria-labelledby="restart-title">
        <DialogTitle id="restart-title">Restart training from scratch?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            This deletes the checkpoints and the loss history of this project and trains a new network with the “{chosen}” profile. Named snapshots are kept, so you can still roll back to them.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmRestart(false)}>Keep training state</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              setConfirmRestart(false);
              start(false);
            }}
          >
            Delete checkpoints and restart
          </Button>
        </DialogActions>
      </Dialog>
    </Paper>
  );
}

/** Backend and why, dataset split, checkpoints. */
function TrainingFacts() {
  const session = useSession();
  const status = useAtom(session.training.status);
  if (!status) return <Typography variant="caption">Reading the training state…</Typography>;
  const facts: string[] = [];
  facts.push(status.backend ? `Backend: ${status.backend}${status.backendReason ? ` (${status.backendReason})` : ''}` : 'Backend: chosen when training starts (GPU if available, else CPU)');
  if (status.dataset) facts.push(`${status.dataset.trainFrames} training frames, ${status.dataset.heldOutFrames} held out`);
  facts.push(status.checkpoints.length ? `${count(status.checkpoints.length, 'checkpoint')}, latest at step ${status.lastStep ?? 0}` : 'No checkpoint yet');
  if (status.profile) facts.push(`checkpoints' profile: ${status.profile}`);
  return (
    <Typography variant="caption" aria-label="Training backend and data" sx={{ display: 'block' }}>
      {facts.join(' · ')}
    </Typography>
  );
}
