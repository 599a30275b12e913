import { useEffect, useState } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import Button from '@mui/material/Button';
import Alert from '@mui/material/Alert';
import { errorText } from './state/error-text.js';
import type { AppInfo, ProjectInfo } from '../src-shared/ipc/contract.js';
import { ClientContext } from './state/client-context.js';
import type { Connection } from './transport.js';
import { ErrorAlert } from './components/ErrorAlert.js';
import { StartScreen } from './screens/StartScreen.js';
import { ProjectScreen } from './screens/ProjectScreen.js';
import { JobsPanel } from './components/JobsPanel.js';
import { flushStudios } from './studio/flush-registry.js';
import { projectFromHash, projectHash } from './state/project-hash.js';

export function App({ connection }: { connection: Connection }) {
  const { client } = connection;
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [project, setProject] = useState<ProjectInfo | null>(null);

  useEffect(() => {
    connection.ready
      .then(() => client.call('app.info', {}))
      .then(async (appInfo) => {
        // Reopening the page (or reloading it) returns to the project it showed.
        const dir = projectFromHash(window.location.hash);
        if (dir) {
          try {
            setProject(await client.call('project.open', { dir }));
          } catch (e) {
            setError(e);
            setProjectHash(null);
          }
        }
        setInfo(appInfo);
      })
      .catch(setError);
  }, [client, connection]);
  useEffect(() => {
    if (info) setProjectHash(project?.dir ?? null);
  }, [info, project?.dir]);

  const [closeError, setCloseError] = useState<unknown>(null);
  const close = async (discardUnsaved = false) => {
    // Pending timeline edits are written before the project's lock is released; if that fails the
    // project stays open (nothing is lost) until the user fixes the cause or chooses to discard.
    const failures = await flushStudios();
    if (failures.length && !discardUnsaved) {
      setCloseError(failures[0]);
      return;
    }
    setCloseError(null);
    if (project) await client.call('project.close', { dir: project.dir }).catch(() => {});
    setProject(null);
  };

  return (
    <ClientContext.Provider value={client}>
      {/* One screen: the app bar, the page (the studio fills it; the start screen scrolls inside it) and the jobs strip. */}
      <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh', overflow: 'hidden' }}>
        <AppBar position="static" color="default" elevation={1}>
          <Toolbar variant="dense" sx={{ gap: 2 }}>
            <Typography variant="h6" component="h1">
              Portrait Studio
            </Typography>
            {project && (
              <>
                <Typography variant="subtitle1" component="span" aria-label="Current project" noWrap sx={{ flex: 'none' }}>
                  {project.project.name}
                </Typography>
                <Typography variant="caption" color="text.secondary" aria-label="Project folder" noWrap title={project.dir} sx={{ minWidth: 0, flexShrink: 1 }}>
                  {project.dir}
                </Typography>
              </>
            )}
            <Box sx={{ flex: 1 }} />
            {info && <Chip size="small" label={`${info.mode} mode · v${info.version}`} />}
            {info && !info.ffmpeg.available && <Chip size="small" color="warning" label="ffmpeg missing" title={info.ffmpeg.detail} />}
            {project && (
              <Button size="small" onClick={() => void close()}>
                Close project
              </Button>
            )}
          </Toolbar>
        </AppBar>
        <Box component="main" sx={{ p: project ? 1 : 3, flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', overflow: project ? 'hidden' : 'auto' }}>
          {error ? <ErrorAlert error={error} /> : null}
          {closeError ? (
            <Alert
              severity="error"
              role="alert"
              aria-label="Unsaved edits"
              sx={{ mb: 2 }}
              action={
                <Box sx={{ display: 'flex', gap: 1 }}>
                  <Button color="inherit" size="small" onClick={() => void close()}>
                    Try again
                  </Button>
                  <Button color="inherit" size="small" onClick={() => void close(true)}>
                    Close without them
                  </Button>
                </Box>
              }
            >
              The latest edits could not be saved, so the project stays open: {errorText(closeError).title}
              {errorText(closeError).hint ? ` ${errorText(closeError).hint}` : ''}
            </Alert>
          ) : null}
          {!info && !error && <CircularProgress aria-label="Connecting" />}
          {info && !project && <StartScreen appInfo={info} onOpened={setProject} />}
          {info && project && <ProjectScreen info={project} onChange={setProject} />}
        </Box>
        <JobsPanel projectDir={project?.dir ?? null} />
      </Box>
    </ClientContext.Provider>
  );
}

/** Keeps the open project in the page address (replace, not push: Back leaves the app). */
function setProjectHash(dir: string | null): void {
  const next = projectHash(dir);
  if (window.location.hash !== next) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${next}`);
}
