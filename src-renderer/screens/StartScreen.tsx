import { useCallback, useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AppInfo, ProjectInfo, RecentProject } from '../../src-shared/ipc/contract.js';
import { useClient } from '../state/client-context.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { BrowseButton } from '../components/PathPicker.js';

export function StartScreen({ appInfo, onOpened }: { appInfo: AppInfo; onOpened: (p: ProjectInfo) => void }) {
  const client = useClient();
  const [dir, setDir] = useState(`${appInfo.defaultProjectsDir}/Untitled`);
  const [openDir, setOpenDir] = useState('');
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    client.call('project.recent', {}).then(setRecent).catch(setError);
  }, [client]);

  const run = useCallback(
    async (fn: () => Promise<ProjectInfo>) => {
      setBusy(true);
      setError(null);
      try {
        onOpened(await fn());
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [onOpened],
  );

  return (
    <Stack spacing={3} sx={{ maxWidth: 900 }}>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Box sx={{ display: 'grid', gridTemplateColumns: { md: '1fr 1fr' }, gap: 3 }}>
        <Card component="section" aria-labelledby="create-heading">
          <CardContent>
            <Typography id="create-heading" variant="h6" component="h2" gutterBottom>
              New project
            </Typography>
            <Box
              component="form"
              onSubmit={(e) => {
                e.preventDefault();
                void run(() => client.call('project.create', { dir: dir.trim() }));
              }}
            >
              <TextField label="New project folder" value={dir} onChange={(e) => setDir(e.target.value)} fullWidth margin="dense" required />
              <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
                <Button type="submit" variant="contained" disabled={busy || !dir.trim()}>
                  Create project
                </Button>
                <BrowseButton kind="folder" title="Choose the new project's folder" onPick={setDir} disabled={busy} />
              </Box>
            </Box>
          </CardContent>
        </Card>
        <Card component="section" aria-labelledby="open-heading">
          <CardContent>
            <Typography id="open-heading" variant="h6" component="h2" gutterBottom>
              Open project
            </Typography>
            <Box
              component="form"
              onSubmit={(e) => {
                e.preventDefault();
                void run(() => client.call('project.open', { dir: openDir.trim() }));
              }}
            >
              <TextField label="Existing project folder" value={openDir} onChange={(e) => setOpenDir(e.target.value)} fullWidth margin="dense" required />
              <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
                <Button type="submit" variant="outlined" disabled={busy || !openDir.trim()}>
                  Open project
                </Button>
                <BrowseButton kind="folder" title="Choose a project folder to open" onPick={setOpenDir} disabled={busy} />
              </Box>
            </Box>
          </CardContent>
        </Card>
      </Box>
      <Card component="section" aria-labelledby="recent-heading">
        <CardContent>
          <Typography id="recent-heading" variant="h6" component="h2">
            Recent projects
          </Typography>
          {recent.length === 0 ? (
            <Typography color="text.secondary">No recent projects yet.</Typography>
          ) : (
            <List aria-label="Recent projects" dense>
              {recent.map((r) => (
                <ListItemButton key={r.dir} disabled={busy} onClick={() => void run(() => client.call('project.open', { dir: r.dir }))}>
                  <ListItemText primary={r.name} secondary={`${r.dir} · opened ${new Date(r.openedAt).toLocaleString()}`} />
                </ListItemButton>
              ))}
            </List>
          )}
        </CardContent>
      </Card>
    </Stack>
  );
}
