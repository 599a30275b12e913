import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ProjectInfo } from '../../src-shared/ipc/contract.js';
import type { JobProgress } from '../../src-shared/jobs/schema.js';
import type { VideoRole } from '../../src-shared/project/schema.js';
import { useClient } from '../state/client-context.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { MediaSummary } from '../components/MediaSummary.js';
import { Studio } from '../studio/Studio.js';
import { progressBar } from '../components/progress-bar.js';
import { BrowseButton } from '../components/PathPicker.js';

/** An open project: the studio workspace, with the two video slots in its Media tab. */
export function ProjectScreen({ info, onChange }: { info: ProjectInfo; onChange: (p: ProjectInfo) => void }) {
  // Kept here, not in the slot: importing a video reopens the studio (and so remounts the
  // slots), and the replacement notice must survive that.
  const [notices, setNotices] = useState<Record<VideoRole, string | null>>({ target: null, source: null });
  const media = (['target', 'source'] as VideoRole[]).map((role) => (
    <VideoSlot key={role} role={role} info={info} onChange={onChange} notice={notices[role]} setNotice={(n) => setNotices((o) => ({ ...o, [role]: n }))} />
  ));
  return <Studio info={info} media={media} />;
}

function VideoSlot({
  role,
  info,
  onChange,
  notice,
  setNotice,
}: {
  role: VideoRole;
  info: ProjectInfo;
  onChange: (p: ProjectInfo) => void;
  notice: string | null;
  setNotice: (n: string | null) => void;
}) {
  const client = useClient();
  const [path, setPath] = useState('');
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [cancel, setCancel] = useState<(() => Promise<void>) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const media = info.project.media[role];
  const title = role === 'target' ? 'Target video (the actor to re-animate)' : 'Source video (the performance to transfer)';

  const importVideo = async () => {
    setError(null);
    setNotice(null);
    try {
      const job = await client.startJob('project.importVideo', { dir: info.dir, role, path: path.trim() }, setProgress);
      setCancel(() => job.cancel);
      setNotice((await job.result).notice ?? null);
      onChange(await client.call('project.info', { dir: info.dir }));
      setPath('');
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
      setCancel(null);
    }
  };

  return (
    <Card component="section" aria-label={`${role} video`} variant="outlined" sx={{ flex: 'none' }}>
      <CardContent>
        <Typography variant="subtitle1" component="h2" gutterBottom>
          {title}
        </Typography>
        {media ? <MediaSummary media={media.probe} /> : <Typography color="text.secondary">No {role} video yet.</Typography>}
        <Box
          component="form"
          sx={{ mt: 2 }}
          onSubmit={(e) => {
            e.preventDefault();
            void importVideo();
          }}
        >
          <TextField
            label={`${role === 'target' ? 'Target' : 'Source'} video path`}
            value={path}
            onChange={(e) => setPath(e.target.value)}
            fullWidth
            size="small"
            required
          />
          <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
            <Button type="submit" variant="contained" disabled={!!progress || !path.trim()}>
              {media ? `Replace ${role} video` : `Import ${role} video`}
            </Button>
            <BrowseButton kind="video" title={`Choose the ${role} video`} onPick={setPath} disabled={!!progress} />
            {cancel && (
              <Button onClick={() => void cancel()} color="warning">
                Cancel import
              </Button>
            )}
          </Stack>
        </Box>
        {progress && (
          <Box sx={{ mt: 1 }} aria-live="polite">
            <Typography variant="caption">{progress.stage}</Typography>
            <LinearProgress
              {...progressBar(progress)}
              aria-label={`${role} import progress`}
            />
          </Box>
        )}
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={error} onClose={() => setError(null)} />
          {notice && (
            <Alert severity="info" onClose={() => setNotice(null)} aria-label={`${role} video replaced`}>
              {notice}
            </Alert>
          )}
        </Box>
      </CardContent>
    </Card>
  );
}
