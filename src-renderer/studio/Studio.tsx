import { useEffect, useRef, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import type { ProjectInfo } from '../../src-shared/ipc/contract.js';
import { useClient } from '../state/client-context.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { StudioSession } from './engine/session.js';
import type { EditorViewState } from './engine/editor.js';
import { EditorContext } from './hooks.js';
import { SessionContext } from './session-context.js';
import { useShortcuts } from './ui/useShortcuts.js';
import { StudioToolbar } from './ui/StudioToolbar.js';
import { HelpDialog } from './ui/HelpDialog.js';
import { registerFlush } from './flush-registry.js';
import { Workspace } from './Workspace.js';

/**
 * The studio for one open project, on one screen (see Workspace). `media` (the video slots)
 * is shown in the inspector's Media tab, and on its own when the studio cannot open, so a
 * broken video can still be replaced.
 */
export function Studio({ info, media }: { info: ProjectInfo; media: ReactNode }) {
  const client = useClient();
  const [session, setSession] = useState<StudioSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mediaKey = `${info.dir}|${info.project.media.target?.sha256 ?? ''}|${info.project.media.source?.sha256 ?? ''}`;

  // Replacing a video reopens the session; in/out, playhead and panels carry over (same project).
  const kept = useRef<{ dir: string; view: EditorViewState } | null>(null);
  useEffect(() => {
    let alive = true;
    let opened: StudioSession | null = null;
    setSession(null);
    setError(null);
    StudioSession.open(client, info)
      .then((s) => {
        if (alive) {
          opened = s;
          if (kept.current?.dir === info.dir) s.editor.applyViewState(kept.current.view);
          setSession(s);
        } else s.dispose();
      })
      .catch((e: unknown) => alive && setError(e));
    return () => {
      alive = false;
      if (opened) kept.current = { dir: info.dir, view: opened.editor.viewState() };
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

  if (error)
    return (
      <Box sx={{ overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: 2 }}>
        <ErrorAlert error={error} />
        {media}
      </Box>
    );
  if (!session) return <CircularProgress aria-label="Loading the studio" />;
  return (
    <SessionContext.Provider value={session}>
      <EditorContext.Provider value={session.editor}>
        <StudioBody media={media} />
      </EditorContext.Provider>
    </SessionContext.Provider>
  );
}

function StudioBody({ media }: { media: ReactNode }) {
  useShortcuts();
  return (
    <Box component="section" aria-label="Studio" sx={{ display: 'flex', flexDirection: 'column', gap: 1, height: '100%', minHeight: 0 }}>
      <StudioToolbar />
      <Workspace media={media} />
      <HelpDialog />
    </Box>
  );
}
