import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { JobSummary } from '../../src-shared/jobs/schema.js';
import { useClient } from '../state/client-context.js';

function eta(sec: number | null): string {
  if (sec === null) return '';
  if (sec < 60) return `${Math.ceil(sec)} s left`;
  return `${Math.floor(sec / 60)} min ${Math.ceil(sec % 60)} s left`;
}

/** Jobs live in main: this panel re-reads them on (re)connect and follows events. */
export function JobsPanel() {
  const client = useClient();
  const [jobs, setJobs] = useState<JobSummary[]>([]);

  useEffect(() => {
    let alive = true;
    const refresh = () =>
      client
        .call('jobs.list', {})
        .then((j) => alive && setJobs(j))
        .catch(() => {});
    void refresh();
    const offs = [
      client.on('job.started', () => void refresh()),
      client.on('job.finished', () => void refresh()),
      client.on('job.progress', (p) =>
        setJobs((js) => js.map((j) => (j.jobId === p.jobId ? { ...j, progress: p } : j))),
      ),
    ];
    return () => {
      alive = false;
      offs.forEach((o) => o());
    };
  }, [client]);

  const running = jobs.filter((j) => j.state === 'running');
  if (running.length === 0) return null;
  return (
    <Paper component="aside" aria-label="Running jobs" square sx={{ p: 1.5, borderTop: 1, borderColor: 'divider' }}>
      {running.map((j) => (
        <Box key={j.jobId} sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <Typography variant="body2" sx={{ minWidth: 200 }}>
            {j.label}: {j.progress?.stage ?? 'starting'}
          </Typography>
          <LinearProgress
            sx={{ flex: 1 }}
            variant={j.progress && j.progress.total > 0 ? 'determinate' : 'indeterminate'}
            value={j.progress && j.progress.total > 0 ? (100 * j.progress.done) / j.progress.total : 0}
            aria-label={`${j.label} progress`}
          />
          <Typography variant="caption">{eta(j.progress?.etaSec ?? null)}</Typography>
          <Button size="small" onClick={() => void client.call('jobs.cancel', { jobId: j.jobId })}>
            Cancel
          </Button>
        </Box>
      ))}
    </Paper>
  );
}
