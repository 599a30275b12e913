import { useEffect, useMemo, useState } from 'react';
import { useSyncExternalStore } from 'react';
import { useClient } from '../../state/client-context.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { LatestLoader, type LoaderResult } from '../engine/latest-loader.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { EmptyState } from './Panel.js';

type Reply = { crop: { dataUrl: string }; composite: { dataUrl: string }; step: number };

/**
 * The synthesized frame at the playhead (inference.frame, on the saved edits). Until the
 * project has a checkpoint it says so; no placeholder image is ever shown as a result.
 */
export function SynthContent() {
  const client = useClient();
  const session = useSession();
  const [checkpoints, setCheckpoints] = useState<number | null>(session.info.training.checkpoints);
  useEffect(() => {
    let alive = true;
    client
      .call('training.status', { dir: session.info.dir })
      .then((s) => alive && setCheckpoints(s.checkpoints.length))
      .catch(() => {});
    return () => {
      alive = false;
    };
  }, [client, session]);
  if (!checkpoints) {
    return <EmptyState>Train the actor first. The synthesized frame appears here once a trained model of the target actor exists.</EmptyState>;
  }
  return <SynthImage />;
}

function SynthImage() {
  const client = useClient();
  const session = useSession();
  const editor = useEditor();
  const frame = useAtom(editor.frame);
  const save = useSyncExternalStore(session.saver.state.subscribe, session.saver.state.get);
  const [res, setRes] = useState<LoaderResult<Reply> | null>(null);
  // The service renders the saved edits: a new save starts a fresh cache.
  const savedAt = save.kind === 'saved' ? save.at : null;
  const loader = useMemo(
    () => new LatestLoader<Reply>((f) => client.call('inference.frame', { dir: session.info.dir, frame: f }), setRes, 24),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [client, session, savedAt],
  );
  useEffect(() => () => loader.dispose(), [loader]);
  useEffect(() => loader.request(frame), [loader, frame]);
  if (res?.error) return <ErrorAlert error={res.error} />;
  if (!res?.value) return <EmptyState>Synthesizing frame {frame}…</EmptyState>;
  return (
    <img
      src={res.value.crop.dataUrl}
      alt={`synthesized frame ${res.frame} (model step ${res.value.step})`}
      style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }}
    />
  );
}
