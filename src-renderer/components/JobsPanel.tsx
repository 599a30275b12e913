import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { JobProgress, JobSummary } from '../../src-shared/jobs/schema.js';
import { PortraitError } from '../../src-shared/ipc/errors.js';
import { errorText } from '../state/error-text.js';
import { useClient } from '../state/client-context.js';
import { Coalescer, UI_PROGRESS_INTERVAL_MS } from '../studio/engine/coalesce.js';
import { progressBar } from './progress-bar.js';
import { visibleFailures } from './visible-failures.js';

function eta(sec: number | null): string {
  if (sec === null) return '';
  if (sec < 60) return `${Math.ceil(sec)} s left`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s left`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min left`;
}

const num = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

/** Labels for metrics jobs report (training losses, rates); others show their own key. */
const METRIC_LABELS: Record<string, string> = {
  step: 'step',
  lossG: 'G',
  lossD: 'D',
  lossL1: 'L1',
  stepsPerSec: 'steps/s',
  psnr: 'PSNR',
  ssim: 'SSIM',
  fps: 'fps',
};
const HIDDEN = new Set(['valL1']);

/** A compact line of the job-specific numbers (at most five). */
export function metricsText(p: JobProgress | null): string {
  const m = p?.metrics;
  if (!m) return '';
  return Object.entries(m)
    .filter(([k, v]) => !HIDDEN.has(k) && Number.isFinite(v))
    .slice(0, 5)
    .map(([k, v]) => `${METRIC_LABELS[k] ?? k} ${num(v)}`)
    .join(' · ');
}

/**
 * Jobs live in main: this panel re-reads them on (re)connect and follows events. Running
 * jobs show stage, progress, ETA, their metrics and a cancel button; failed jobs show their
 * error until dismissed.
 */
export function JobsPanel({ projectDir = null }: { projectDir?: string | null }) {
  const client = useClient();
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(new Set());
  const [cancelError, setCancelError] = useState<unknown>(null);

  useEffect(() => {
    let alive = true;
    const refresh = () =>
      client
        .call('jobs.list', {})
        .then((j) => alive && setJobs(j))
        .catch(() => {});
    void refresh();
    // Progress bars move at a display rate, not at the jobs' event rate (see coalesce.ts).
    const progress = new Coalescer<JobProgress>((ps) => {
      const latest = new Map(ps.map((p) => [p.jobId, p]));
      setJobs((js) => js.map((j) => (latest.has(j.jobId) ? { ...j, progress: latest.get(j.jobId)! } : j)));
    }, UI_PROGRESS_INTERVAL_MS);
    const offs = [
      client.on('job.started', () => void refresh()),
      client.on('job.finished', () => {
        progress.flush();
        void refresh();
      }),
      client.on('job.progress', (p) => progress.push(p)),
    ];
    return () => {
      alive = false;
      progress.cancel();
      offs.forEach((o) => o());
    };
  }, [client]);

  const running = jobs.filter((j) => j.state === 'running' || j.state === 'queued');
  // Failures of other projects served by the same host are not this user's business here.
  const failed = visibleFailures(jobs, projectDir).filter((j) => !dismissed.has(j.jobId));
  if (running.length === 0 && failed.length === 0 && !cancelError) return null;

  const cancel = (id: string) => {
    setCancelling((s) => new Set(s).add(id));
    client.call('jobs.cancel', { jobId: id }).catch((e: unknown) => {
      setCancelError(e);
      setCancelling((s) => {
        const n = new Set(s);
        n.delete(id);
        return n;
      });
    });
  };

  return (
    <Paper component="aside" aria-label="Jobs" square sx={{ p: 1.5, borderTop: 1, borderColor: 'divider', display: 'flex', flexDirection: 'column', gap: 1 }}>
      {running.map((j) => {
        const p = j.progress;
        const metrics = metricsText(p);
        return (
          <Box key={j.jobId} role="group" aria-label={`Job ${j.label}`} sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
            <Box sx={{ minWidth: 220, maxWidth: 420 }}>
              <Typography variant="body2" noWrap>
                {j.label}: {p?.stage ?? (j.state === 'queued' ? 'queued' : 'starting')}
              </Typography>
              {metrics && (
                <Typography variant="caption" color="text.secondary" aria-label={`${j.label} metrics`} noWrap sx={{ display: 'block' }}>
                  {metrics}
                </Typography>
              )}
            </Box>
            <LinearProgress
              sx={{ flex: 1, minWidth: 120 }}
              {...progressBar(p)}
              aria-label={`${j.label} progress`}
            />
            <Typography variant="caption" sx={{ minWidth: 90 }}>
              {p && p.total > 0 ? `${num(p.done)}/${num(p.total)}` : ''} {eta(p?.etaSec ?? null)}
            </Typography>
            <Button size="small" disabled={cancelling.has(j.jobId)} onClick={() => cancel(j.jobId)} aria-label={`Cancel ${j.label}`}>
              {cancelling.has(j.jobId) ? 'Cancelling…' : 'Cancel'}
            </Button>
          </Box>
        );
      })}
      {failed.map((j) => {
        const t = errorText(j.error ? new PortraitError(j.error.code, j.error.message) : new Error('The job failed without a message.'));
        return (
          <Alert
            key={j.jobId}
            severity="error"
            role="alert"
            aria-label={`Job ${j.label} failed`}
            onClose={() => setDismissed((s) => new Set(s).add(j.jobId))}
            slotProps={{ closeButton: { 'aria-label': `Dismiss ${j.label} error` } }}
          >
            <AlertTitle>
              {j.label} failed: {t.title}
            </AlertTitle>
            {t.hint ?? 'Fix the cause, then start it again from where it was started; work done so far (checkpoints, tracked frames) is kept.'}
          </Alert>
        );
      })}
      {cancelError ? (
        <Alert severity="error" role="alert" onClose={() => setCancelError(null)}>
          Could not cancel the job: {errorText(cancelError).title}. It may have finished already.
        </Alert>
      ) : null}
    </Paper>
  );
}
