import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import type { ProjectInfo } from '../../src-shared/ipc/contract.js';
import { useClient } from '../state/client-context.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { StudioSession } from './engine/session.js';
import { EditorContext } from './hooks.js';
import { SessionContext } from './session-context.js';
import { useShortcuts } from './ui/useShortcuts.js';
import { StudioToolbar } from './ui/StudioToolbar.js';
import { HelpDialog } from './ui/HelpDialog.js';
import { Viewer } from './viewer/Viewer.js';
import { Timeline } from './timeline/Timeline.js';
import { TrackingBar } from './ui/TrackingBar.js';
import { registerFlush } from './flush-registry.js';
import { TrainingPanel } from './training/TrainingPanel.js';
import { TransferPanel } from './ui/TransferPanel.js';
import { RenderPanel } from './ui/RenderPanel.js';

/** The studio for one open project: viewer at the playhead above the timeline. */
export function Studio({ info }: { info: ProjectInfo }) {
  const client = useClient();
  const [session, setSession] = useState<StudioSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mediaKey = `${info.dir}|${info.project.media.target?.sha256 ?? ''}|${info.project.media.source?.sha256 ?? ''}`;

  useEffect(() => {
    let alive = true;
    let opened: StudioSession | null = null;
    setSession(null);
    setError(null);
    StudioSession.open(client, info)
      .then((s) => {
        if (alive) {
          opened = s;
          setSession(s);
        } else s.dispose();
      })
      .catch((e: unknown) => alive && setError(e));
    return () => {
      alive = false;
      opened?.dispose();
    };
    // The session depends on which videos the project holds, not on every info refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, mediaKey]);

  useEffect(() => {
    if (!session) return;
    const flush = () => void session.flush();
    const onVis = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('blur', flush);
    window.addEventListener('beforeunload', flush);
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVis);
    const unregister = registerFlush(() => session.flushOrThrow());
    return () => {
      unregister();
      window.removeEventListener('blur', flush);
      window.removeEventListener('beforeunload', flush);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVis);
    };
  }, [session]);

  if (error) return <ErrorAlert error={error} />;
  if (!session) return <CircularProgress aria-label="Loading the studio" />;
  return (
    <SessionContext.Provider value={session}>
      <EditorContext.Provider value={session.editor}>
        <StudioBody />
      </EditorContext.Provider>
    </SessionContext.Provider>
  );
}

function StudioBody() {
  useShortcuts();
  return (
    <Box component="section" aria-label="Studio" sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <TrackingBar />
      <StudioToolbar />
      <Stack spacing={1.5}>
        <Viewer />
        <Timeline />
        <TransferPanel />
        <TrainingPanel />
        <RenderPanel />
      </Stack>
      <HelpDialog />
    </Box>
  );
}
