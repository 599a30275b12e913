import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { RenderRequest, RequestOf } from '../../../src-shared/ipc/contract.js';
import { isPortraitError } from '../../../src-shared/ipc/errors.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { defaultRenderPath, withCodecExtension, type RenderCodec } from '../engine/render-defaults.js';
import { fmtDuration } from '../engine/training-series.js';
import { StudioError } from './StudioError.js';
import { defaultAudio } from '../../../src-shared/project/audio-choice.js';
import { progressBar } from '../../components/progress-bar.js';
import { count } from '../../../src-shared/text/count.js';
import { RendersList } from './RendersList.js';
import { CODEC_IDS, RENDER_CODECS } from '../../../src-shared/output/codecs.js';
import { farmUrlProblem } from '../../../src-shared/output/farm-url.js';

type Audio = RenderRequest['audio'];
type Layout = RenderRequest['layout'];

function isAudioError(e: unknown): boolean {
  return isPortraitError(e) && (e.details as { field?: unknown } | undefined)?.field === 'audio';
}

/** Render the final cut: a dialog for the options, then a job (progress/ETA/cancel here and in the Jobs bar). */
export function RenderPanel() {
  const session = useSession();
  const editor = useEditor();
  const range = useAtom(editor.range);
  const status = useAtom(session.training.status);
  const media = session.info.project.media;
  const frameCount = media.target?.probe.frameCount ?? 0;
  const checkpoints = status ? status.checkpoints.length : session.info.training.checkpoints;

  const [open, setOpen] = useState(false);
  const [codec, setCodec] = useState<RenderCodec>('h264');
  const [out, setOut] = useState(() => defaultRenderPath(session.info.dir, session.info.project.name, 'h264'));
  const partial = range.in > 0 || range.out < frameCount - 1;
  const [useRange, setUseRange] = useState<'all' | 'range' | null>(null);
  const rangeMode = useRange ?? (partial ? 'range' : 'all');
  const transferOn = useAtom(editor.doc).edits.transfer.enabled;
  // Until the user picks one, the audio follows the project: never a video without sound.
  const [chosenAudio, setAudio] = useState<Audio | null>(null);
  const audio: Audio = chosenAudio ?? defaultAudio(media, transferOn);
  const [layout, setLayout] = useState<Layout>('full');
  const [overwrite, setOverwrite] = useState(false);
  const [fillMissingFaces, setFillMissingFaces] = useState(false);
  // The render job is followed by the session: it survives this tab remounting and a page reload.
  const running = useAtom(session.renderJob.job);
  const ended = useAtom(session.renderJob.ended);
  // A cancel that could not be sent, or edits that could not be saved before a render.
  const [localError, setLocalError] = useState<unknown>(null);
  // The output of the render started last from here (a refused start has no job to name it).
  const [lastOut, setLastOut] = useState<string | null>(null);
  // Empty: render on this machine; a redis:// address: queue the render for `portrait worker`s.
  const [farmUrl, setFarmUrl] = useState('');
  const farmProblem = farmUrl.trim() === '' ? null : farmUrlProblem(farmUrl.trim());
  const hasAudio = (role: 'target' | 'source') => (media[role]?.probe.audio.length ?? 0) > 0;

  const start = async () => {
    setOpen(false);
    const req: RequestOf<'render.start'> = {
      dir: session.info.dir,
      out: out.trim(),
      audio,
      codec,
      crf: 18,
      layout,
      colorMatch: true,
      overwrite,
      fillMissingFaces,
      ...(farmUrl.trim() !== '' ? { farm: { url: farmUrl.trim() } } : {}),
      ...(rangeMode === 'range' ? { range: { start: range.in, end: range.out } } : {}),
    };
    setLocalError(null);
    setLastOut(req.out);
    try {
      // The service renders the saved edits: write pending ones first, and never render edits
      // older than what the timeline shows.
      await session.flushOrThrow();
    } catch (e) {
      setLocalError(e);
      return;
    }
    await session.renderJob.start(req, `Render ${req.out.split(/[\\/]/).pop()}`);
  };

  const failedOut = (ended?.kind === 'failed' ? ended.job?.request?.out : undefined) ?? lastOut ?? 'the output path';
  const error = ended?.kind === 'failed' ? ended.error : localError;
  const p = running?.progress ?? null;
  return (
    <Paper variant="outlined" component="section" aria-label="Render" sx={{ p: 1.5, display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        Render the final cut
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Button variant="contained" size="small" disabled={!media.target || checkpoints === 0 || running !== null} onClick={() => setOpen(true)}>
          Render…
        </Button>
        {running && (
          <Button size="small" color="warning" disabled={running.cancelling} onClick={() => void session.renderJob.cancel().catch(setLocalError)}>
            Cancel render
          </Button>
        )}
        <Typography variant="caption">
          {!media.target ? 'Import and track a target video first.' : checkpoints === 0 ? 'Train the actor first: rendering needs a checkpoint.' : 'An mp4 at the target frame rate, with audio, the synthesized face composited into the full frame.'}
        </Typography>
      </Box>
      {running && (
        <Box aria-live="polite">
          <Typography variant="caption">
            {p ? `${p.stage} · ${p.done}/${p.total}${p.etaSec !== null ? ` · ETA ${fmtDuration(p.etaSec)}` : ''}` : 'Starting the render…'}
          </Typography>
          <LinearProgress {...progressBar(p)} aria-label="Render progress" />
        </Box>
      )}
      {ended?.kind === 'succeeded' && (
        <Alert severity="success" role="status" aria-label="Render result" onClose={() => session.renderJob.dismiss()}>
          Rendered {count(ended.value.frames, 'frame')} ({ended.value.width}x{ended.value.height}, {ended.value.fps} fps, audio: {ended.value.audio}, model step {ended.value.checkpointStep}) in {fmtDuration(ended.value.seconds)} to{' '}
          <code>{ended.value.file}</code>
        </Alert>
      )}
      {ended?.kind === 'cancelled' && (
        <Alert severity="info" role="status" onClose={() => session.renderJob.dismiss()}>
          Render cancelled; the partial output was removed.
        </Alert>
      )}
      {error !== null && error !== undefined && (
        <StudioError
          error={error}
          onClose={() => {
            setLocalError(null);
            session.renderJob.dismiss();
          }}
          next={{
            FILE_EXISTS: `A file already exists at ${failedOut}. Tick “Replace an existing file” in the render dialog, or choose another output path.`,
            BAD_REQUEST: isAudioError(error)
              ? 'Open Render… and pick another audio option (or No audio), then render again.'
              : 'Check the output path, the range and that the project has a trained model, then render again.',
            DEFAULT: 'Fix the cause shown above and render again.',
          }}
        />
      )}

      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="render-title" fullWidth maxWidth="sm">
        <DialogTitle id="render-title">Render final cut</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
          <TextField
            label={codec === 'png' ? 'Output folder' : 'Output file'}
            size="small"
            value={out}
            onChange={(e) => setOut(e.target.value)}
            required
            error={out.trim() === ''}
            helperText={codec === 'png' ? 'PNG frames are written into this folder.' : 'Default: the project’s renders folder.'}
          />
          <FormControl>
            <FormLabel id="render-range-label">Frames</FormLabel>
            <RadioGroup row aria-labelledby="render-range-label" value={rangeMode} onChange={(e) => setUseRange(e.target.value as 'all' | 'range')}>
              <FormControlLabel value="all" control={<Radio size="small" />} label={`Whole video (0–${Math.max(0, frameCount - 1)})`} />
              <FormControlLabel value="range" control={<Radio size="small" />} label={`In/out range (${range.in}–${range.out})`} />
            </RadioGroup>
          </FormControl>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <TextField select size="small" label="Audio" value={audio} onChange={(e) => setAudio(e.target.value as Audio)} sx={{ minWidth: 200 }}>
              <MenuItem value="target" disabled={!hasAudio('target')}>
                Target video’s audio{hasAudio('target') ? '' : ' (it has none)'}
              </MenuItem>
              <MenuItem value="source" disabled={!hasAudio('source')}>
                Source video’s audio{media.source && !hasAudio('source') ? ' (it has none)' : ''}
              </MenuItem>
              <MenuItem value="none">No audio</MenuItem>
            </TextField>
            <TextField
              select
              size="small"
              label="Codec"
              value={codec}
              onChange={(e) => {
                const c = e.target.value as RenderCodec;
                setCodec(c);
                setOut((o) => withCodecExtension(o, c));
              }}
              sx={{ minWidth: 160 }}
            >
              {CODEC_IDS.map((id) => (
                <MenuItem key={id} value={id}>
                  {RENDER_CODECS[id].label}
                </MenuItem>
              ))}
            </TextField>
            <TextField select size="small" label="Layout" value={layout} onChange={(e) => setLayout(e.target.value as Layout)} sx={{ minWidth: 220 }}>
              <MenuItem value="full">Full frame (face composited)</MenuItem>
              <MenuItem value="crop">Network crop only</MenuItem>
              <MenuItem value="compare">Compare: source | conditioning | output</MenuItem>
            </TextField>
          </Box>
          <FormControlLabel control={<Checkbox checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />} label="Replace an existing file" />
          <FormControlLabel
            control={<Checkbox checked={fillMissingFaces} onChange={(e) => setFillMissingFaces(e.target.checked)} />}
            label="Synthesize a face on frames where tracking found none (otherwise they pass through untouched)"
          />
          <TextField
            label="Render farm (redis://host:port)"
            size="small"
            value={farmUrl}
            onChange={(e) => setFarmUrl(e.target.value)}
            error={farmProblem !== null}
            helperText={farmProblem ?? 'Empty: render on this machine. Otherwise the frames are rendered by `portrait worker --farm <address>` on the machines sharing this project folder.'}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="contained" disabled={out.trim() === '' || farmProblem !== null} onClick={() => void start()}>
            Render
          </Button>
        </DialogActions>
      </Dialog>
      <RendersList dir={session.info.dir} version={ended?.kind === 'succeeded' ? ended.job.jobId : 'none'} />
    </Paper>
  );
}
