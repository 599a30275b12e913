import { useEffect, useMemo, useState } from 'react';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import type { ImageReply } from '../../../src-shared/ipc/contract.js';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import { useClient } from '../../state/client-context.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LatestLoader, type LoaderResult } from '../engine/latest-loader.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { EmptyState, Panel } from './Panel.js';

/** The decoded video frame or the tracking overlay at the playhead (target or source). */
export function FramePanelContent({ id, kind, enlarged }: { id: 'video' | 'overlay'; kind: 'frame' | 'overlay'; enlarged: boolean }) {
  const session = useSession();
  const media = session.info.project.media;
  const [role, setRole] = useState<VideoRole>('target');
  const roles = (['target', 'source'] as VideoRole[]).filter((r) => media[r]);
  const picker =
    roles.length > 1 ? (
      <ToggleButtonGroup size="small" exclusive value={role} onChange={(_, v: VideoRole | null) => v && setRole(v)} aria-label={`${id} video`}>
        {roles.map((r) => (
          <ToggleButton key={r} value={r} sx={{ py: 0, px: 0.75, fontSize: 11 }}>
            {r}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    ) : null;
  return (
    <Panel id={id} enlarged={enlarged} extra={picker}>
      {media[role] ? <FrameImage role={role} kind={kind} /> : <EmptyState>Import a {role} video first.</EmptyState>}
    </Panel>
  );
}

function FrameImage({ role, kind }: { role: VideoRole; kind: 'frame' | 'overlay' }) {
  const client = useClient();
  const session = useSession();
  const editor = useEditor();
  const frame = useAtom(editor.frame);
  const tracking = useAtom(session.tracking[role]);
  const [res, setRes] = useState<LoaderResult<ImageReply> | null>(null);
  const frameCount = session.info.project.media[role]?.probe.frameCount ?? 0;
  const dir = session.info.dir;
  const needsTracking = kind === 'overlay' && tracking.kind !== 'ready';

  const loader = useMemo(() => {
    if (needsTracking) return null;
    return new LatestLoader<ImageReply>(
      (f) => (kind === 'frame' ? client.call('media.frame', { dir, role, frame: f, maxSize: 640 }) : client.call('tracking.overlay', { dir, role, frame: f })),
      setRes,
    );
  }, [client, dir, role, kind, needsTracking]);
  useEffect(() => () => loader?.dispose(), [loader]);
  useEffect(() => {
    loader?.request(Math.min(frame, Math.max(0, frameCount - 1)));
  }, [loader, frame, frameCount]);

  if (needsTracking) return <EmptyState>Track the {role} video to see the fitted mesh over its frames.</EmptyState>;
  if (res?.error) return <ErrorAlert error={res.error} />;
  if (!res?.value) return <EmptyState>Loading frame…</EmptyState>;
  return (
    <img
      src={res.value.dataUrl}
      alt={`${role} ${kind === 'frame' ? 'video frame' : 'tracking overlay'} ${res.frame}`}
      data-frame={res.frame}
      style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }}
    />
  );
}
