import { useEffect, useMemo, useState } from 'react';
import { useSyncExternalStore } from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { useClient } from '../../state/client-context.js';
import { LatestLoader, type LoaderResult } from '../engine/latest-loader.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { StudioError } from '../ui/StudioError.js';
import { EmptyState, Panel } from './Panel.js';

type Reply = { crop: { dataUrl: string }; composite: { dataUrl: string }; step: number };
type View = 'composite' | 'crop';

/**
 * The synthesized frame at the playhead (inference.frame on the saved edits, with the newest
 * checkpoint): the composite (face pasted into the full frame) or the network's crop. The
 * newest request wins (stale ones are dropped); a spinner shows while one is pending. Until
 * the project has a checkpoint it says so; no placeholder image is ever shown as a result.
 */
export function SynthPanel({ enlarged }: { enlarged: boolean }) {
  const session = useSession();
  const status = useAtom(session.training.status);
  const [view, setView] = useState<View>('composite');
  const checkpoints = status ? status.checkpoints.length : session.info.training.checkpoints;
  const picker =
    checkpoints > 0 ? (
      <ToggleButtonGroup size="small" exclusive value={view} onChange={(_, v: View | null) => v && setView(v)} aria-label="Synthesized view">
        <ToggleButton value="composite" sx={{ py: 0, px: 0.75, fontSize: 11 }}>
          composite
        </ToggleButton>
        <ToggleButton value="crop" sx={{ py: 0, px: 0.75, fontSize: 11 }}>
          crop
        </ToggleButton>
      </ToggleButtonGroup>
    ) : null;
  return (
    <Panel id="synth" enlarged={enlarged} extra={picker}>
      {checkpoints > 0 ? (
        <SynthImage view={view} modelStep={status?.lastStep ?? null} />
      ) : (
        <EmptyState>Train the actor first. The synthesized frame appears here once a trained model of the target actor exists.</EmptyState>
      )}
    </Panel>
  );
}

function SynthImage({ view, modelStep }: { view: View; modelStep: number | null }) {
  const client = useClient();
  const session = useSession();
  const editor = useEditor();
  const frame = useAtom(editor.frame);
  const save = useSyncExternalStore(session.saver.state.subscribe, session.saver.state.get);
  const [res, setRes] = useState<{ loader: unknown; r: LoaderResult<Reply> } | null>(null);
  // The service renders the saved edits with the newest checkpoint: either changing starts a fresh cache.
  const savedAt = save.kind === 'saved' ? save.at : null;
  const loader = useMemo(() => {
    const l: LatestLoader<Reply> = new LatestLoader<Reply>(
      (f) => client.call('inference.frame', { dir: session.info.dir, frame: f }),
      (r) => setRes({ loader: l, r }),
      24,
    );
    return l;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, session, savedAt, modelStep]);
  useEffect(() => () => loader.dispose(), [loader]);
  useEffect(() => loader.request(frame), [loader, frame]);

  const r = res?.r ?? null;
  const pending = !r || res?.loader !== loader || r.frame !== frame;
  const spinner = pending ? (
    <CircularProgress size={28} aria-label={`Synthesizing frame ${frame}`} sx={{ position: 'absolute', top: 8, right: 8 }} />
  ) : null;
  if (r?.error && !pending) {
    return (
      <Box sx={{ p: 1, width: '100%' }}>
        <StudioError error={r.error} next={{ DEFAULT: 'Train the model further or resume training, then scrub again.', BAD_REQUEST: 'Track the target video and train at least one checkpoint first.' }} />
      </Box>
    );
  }
  if (!r?.value) {
    return (
      <>
        {spinner}
        <EmptyState>Synthesizing frame {frame}…</EmptyState>
      </>
    );
  }
  return (
    <>
      <img
        src={view === 'crop' ? r.value.crop.dataUrl : r.value.composite.dataUrl}
        alt={`synthesized frame ${r.frame} (${view}, model step ${r.value.step})`}
        data-frame={r.frame}
        style={{ ...(view === 'crop' ? { width: '100%', height: '100%', imageRendering: 'pixelated' } : { maxWidth: '100%', maxHeight: '100%' }), objectFit: 'contain', opacity: pending ? 0.6 : 1 }}
      />
      {spinner}
    </>
  );
}
