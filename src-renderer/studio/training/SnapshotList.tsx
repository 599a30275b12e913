import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { SnapshotInfo } from '../../../src-shared/ipc/contract.js';
import type { EvaluationReport } from '../../../src-shared/evaluation/schema.js';
import { useAtom } from '../hooks.js';
import { useSession } from '../session-context.js';
import type { ProfileId } from '../engine/training-series.js';
import { reportForSnapshot, snapshotFigure, VERDICT_COLOR } from '../engine/quality-format.js';
import { EmptyState } from '../viewer/Panel.js';

const NAME_RE = /^[\w .-]+$/;

/** Take a named snapshot of the latest checkpoint; list them with their evaluation; evaluate or roll back to one. */
export function SnapshotList({ profile, steps }: { profile: ProfileId; steps: number }) {
  const session = useSession();
  const t = session.training;
  const status = useAtom(t.status);
  const job = useAtom(t.job);
  const reports = useAtom(t.evaluation.reports);
  const evaluating = useAtom(t.evaluation.job);
  const pixelsOnly = useAtom(t.evaluation.pixelsOnly);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [rollback, setRollback] = useState<SnapshotInfo | null>(null);
  const snapshots = status?.snapshots ?? [];
  const hasCheckpoint = (status?.checkpoints.length ?? 0) > 0;
  const nameOk = name.trim().length > 0 && name.trim().length <= 80 && NAME_RE.test(name.trim());
  const taken = snapshots.some((s) => s.name === name.trim());

  const take = async () => {
    setBusy(true);
    if (await t.snapshot(name.trim())) setName('');
    setBusy(false);
  };

  return (
    <Box component="section" aria-label="Snapshots">
      <Typography variant="caption" component="h3" sx={{ fontWeight: 600, display: 'block' }}>
        Snapshots
      </Typography>
      <Box
        component="form"
        sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', my: 1 }}
        onSubmit={(e) => {
          e.preventDefault();
          if (nameOk && !taken && hasCheckpoint) void take();
        }}
      >
        <TextField
          label="Snapshot name"
          size="small"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={name !== '' && (!nameOk || taken)}
          helperText={name !== '' && !nameOk ? 'Letters, digits, space, dot, dash, underscore.' : taken ? 'A snapshot has this name already.' : hasCheckpoint ? 'Keeps the latest checkpoint under this name.' : 'Available after the first checkpoint.'}
        />
        <Button type="submit" size="small" variant="outlined" disabled={!nameOk || taken || !hasCheckpoint || busy}>
          Take snapshot
        </Button>
      </Box>
      {snapshots.length === 0 ? (
        <EmptyState>No snapshots yet.</EmptyState>
      ) : (
        <List dense aria-label="Snapshot list">
          {snapshots.map((s) => (
            <ListItem key={s.name} sx={{ gap: 1, alignItems: 'center' }} aria-label={`Snapshot ${s.name}`}>
              {s.thumbnail ? (
                <img src={s.thumbnail} alt={`Sample of snapshot ${s.name}`} style={{ height: 40, imageRendering: 'pixelated' }} />
              ) : (
                <Box sx={{ width: 40 }} />
              )}
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <Typography variant="body2">
                  <strong>{s.name}</strong> · step {s.step} · {s.psnr !== null ? `PSNR ${s.psnr.toFixed(2)} dB` : 'no validation yet'}
                </Typography>
                <SnapshotQuality report={reportForSnapshot(reports, s.name)} />
              </Box>
              <Button size="small" disabled={!!evaluating} onClick={() => void t.evaluation.start({ snapshot: s.name, pixelsOnly })} aria-label={`Evaluate snapshot ${s.name}`}>
                Evaluate
              </Button>
              <Button size="small" disabled={!!job} onClick={() => setRollback(s)} aria-label={`Roll back to ${s.name}`}>
                Roll back to this
              </Button>
            </ListItem>
          ))}
        </List>
      )}
      <Dialog open={!!rollback} onClose={() => setRollback(null)} aria-labelledby="rollback-title">
        <DialogTitle id="rollback-title">Roll back to “{rollback?.name}”?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Training continues from step {rollback?.step} of this snapshot up to {steps} steps. The current checkpoints after it are replaced; snapshots are kept.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRollback(null)}>Cancel</Button>
          <Button
            variant="contained"
            onClick={() => {
              const s = rollback!;
              setRollback(null);
              void t.start({ profile, steps, fromSnapshot: s.name, resume: true }, `Rolling back to “${s.name}” (step ${s.step})…`);
            }}
          >
            Roll back and train
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}

/** The snapshot's evaluation figure beside the best baseline's (never the network's alone). */
function SnapshotQuality({ report }: { report: EvaluationReport | null }) {
  const figure = report ? snapshotFigure(report) : null;
  if (!figure) return null;
  return (
    <Typography variant="caption" component="div" sx={{ color: VERDICT_COLOR[figure.verdict] }} title={figure.title} aria-label="Snapshot evaluation" data-verdict={figure.verdict}>
      {figure.text}
    </Typography>
  );
}
