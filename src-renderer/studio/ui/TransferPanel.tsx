import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Slider from '@mui/material/Slider';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Alert from '@mui/material/Alert';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { CHANNEL_GROUPS, uncoveredTail, type AfterSourceEnd, type ChannelGroup, type TransferSettings } from '../../../src-shared/timeline/index.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';

const GROUP_LABELS: Record<ChannelGroup, string> = { head: 'Head pose', gaze: 'Eye gaze', blink: 'Blinks', expression: 'Expression' };

/**
 * Transfer the source actor's motion onto the target: on/off, per-group enable and gain,
 * time offset and source trim. Every change is one undoable setTransfer command; the base
 * curves and the conditioning preview follow it (the editor rebuilds the base with the same
 * transfer() the services render with).
 */
export function TransferPanel() {
  const session = useSession();
  const editor = useEditor();
  const doc = useAtom(editor.doc);
  const source = useAtom(session.tracking.source);
  const s = doc.edits.transfer;
  const media = session.info.project.media.source;
  const set = (patch: Partial<TransferSettings>, label: string) => editor.setTransfer({ ...s, ...patch }, label);
  const setGroup = (g: ChannelGroup, patch: Partial<TransferSettings['groups'][ChannelGroup]>, label: string) =>
    editor.setTransfer({ ...s, groups: { ...s.groups, [g]: { ...s.groups[g], ...patch } } }, label);
  const sourceFrames = media?.probe.frameCount ?? 0;
  const ready = source.kind === 'ready';
  // Where the (trimmed, offset) source runs out on the target's timeline, if it does.
  const target = session.info.project.media.target;
  const tail = media && target ? uncoveredTail(sourceFrames, media.probe.fps, target.probe.frameCount, target.probe.fps, s) : null;

  let state: string;
  if (!media) state = 'Import a source video to transfer its head pose, gaze, blinks and expressions onto the target.';
  else if (!ready) state = 'Track the source video first: transfer moves its tracked motion onto the target.';
  else if (s.enabled) state = 'The base curves now show the source’s motion on the target; your keyframes still apply on top.';
  else state = 'Off: the base curves are the target’s own tracked motion.';

  return (
    <Paper variant="outlined" component="section" aria-label="Transfer" sx={{ p: 1.5, display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        Transfer from the source video
      </Typography>
      <FormControlLabel
        control={<Switch checked={s.enabled} disabled={!media} onChange={(e) => set({ enabled: e.target.checked }, e.target.checked ? 'Transfer on' : 'Transfer off')} />}
        label="Transfer motion from the source video"
      />
      <Typography variant="caption" role="status" aria-label="Transfer state">
        {state}
      </Typography>
      <Box role="group" aria-label="Transferred groups" sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 2, rowGap: 0, alignItems: 'center' }}>
        {CHANNEL_GROUPS.map((g) => (
          <GroupRow key={g} group={g} settings={s} disabled={!media} setGroup={setGroup} />
        ))}
      </Box>
      {media && (
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        <CommitField
          label="Time offset (s)"
          value={s.timeOffsetSec}
          disabled={!media}
          step={0.04}
          help="Target time at which the source's first used frame plays."
          parse={(v) => (Number.isFinite(v) ? v : null)}
          onCommit={(v) => set({ timeOffsetSec: v }, 'Transfer time offset')}
        />
        <CommitField
          label="Source trim in (frame)"
          value={s.trimIn}
          disabled={!media}
          step={1}
          help="First source frame used."
          parse={(v) => (Number.isInteger(v) && v >= 0 && (s.trimOut === null || v < s.trimOut) ? v : null)}
          onCommit={(v) => set({ trimIn: v }, 'Transfer trim in')}
        />
        <CommitField
          label="Source trim out (frame)"
          value={s.trimOut ?? sourceFrames}
          disabled={!media}
          step={1}
          help={`One past the last source frame used (${sourceFrames} = to the end).`}
          parse={(v) => (Number.isInteger(v) && v > s.trimIn && v <= Math.max(sourceFrames, s.trimIn + 1) ? v : null)}
          onCommit={(v) => set({ trimOut: v >= sourceFrames ? null : v }, 'Transfer trim out')}
        />
      </Box>
      )}
      {media && tail && (
        <Alert severity={s.enabled && s.afterEnd === 'target' ? 'warning' : 'info'} aria-label="Source ends early" sx={{ alignItems: 'center' }}>
          The source ends {fmtSeconds(tail.seconds)} before the target (at target frame {tail.from}; {tail.frames} frame{tail.frames === 1 ? '' : 's'} left).
          {s.afterEnd === 'target' ? ' There the target cuts back to its own motion in one frame.' : ''}
          <Box sx={{ display: 'flex', gap: 1, mt: 1, flexWrap: 'wrap' }}>
            <TextField
              select
              size="small"
              label="After the source ends"
              value={s.afterEnd}
              disabled={!media}
              onChange={(e) => set({ afterEnd: e.target.value as AfterSourceEnd }, 'Transfer after the source ends')}
              sx={{ minWidth: 240 }}
            >
              <MenuItem value="target">Cut back to the target’s motion</MenuItem>
              <MenuItem value="hold">Hold the source’s last frame</MenuItem>
              <MenuItem value="loop">Loop the source</MenuItem>
              <MenuItem value="ease">Ease back to the target’s motion</MenuItem>
            </TextField>
            {s.afterEnd === 'ease' && (
              <CommitField
                label="Ease over (frames)"
                value={s.easeFrames}
                disabled={!media}
                step={1}
                help="Target frames from the source’s last pose back to the target’s own."
                parse={(v) => (Number.isInteger(v) && v >= 1 && v <= 10_000 ? v : null)}
                onCommit={(v) => set({ easeFrames: v }, 'Transfer ease length')}
              />
            )}
          </Box>
        </Alert>
      )}
    </Paper>
  );
}

function GroupRow({
  group,
  settings,
  disabled,
  setGroup,
}: {
  group: ChannelGroup;
  settings: TransferSettings;
  disabled: boolean;
  setGroup: (g: ChannelGroup, patch: Partial<TransferSettings['groups'][ChannelGroup]>, label: string) => boolean;
}) {
  const g = settings.groups[group];
  const name = GROUP_LABELS[group];
  // The slider moves freely while dragged; the command is sent once, on release (one undo step).
  const [drag, setDrag] = useState<number | null>(null);
  return (
    <>
      <FormControlLabel
        control={<Checkbox size="small" checked={g.enabled} disabled={disabled} onChange={(e) => setGroup(group, { enabled: e.target.checked }, `${name} transfer ${e.target.checked ? 'on' : 'off'}`)} />}
        label={`Transfer ${name.toLowerCase()}`}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Slider
          size="small"
          min={0}
          max={2}
          step={0.05}
          value={drag ?? g.gain}
          disabled={disabled || !g.enabled}
          onChange={(_, v) => setDrag(v as number)}
          onChangeCommitted={(_, v) => {
            setDrag(null);
            if ((v as number) !== g.gain) setGroup(group, { gain: v as number }, `${name} gain`);
          }}
          slotProps={{ input: { 'aria-label': `${name} gain` } }}
          sx={{ maxWidth: 240 }}
        />
        <Typography variant="caption" sx={{ minWidth: 36 }}>
          ×{(drag ?? g.gain).toFixed(2)}
        </Typography>
      </Box>
    </>
  );
}

/** A number field that commits on Enter or blur and reverts an invalid entry. */
function CommitField({
  label,
  value,
  disabled,
  step,
  help,
  parse,
  onCommit,
}: {
  label: string;
  value: number;
  disabled: boolean;
  step: number;
  help: string;
  parse: (v: number) => number | null;
  onCommit: (v: number) => void;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const parsed = text.trim() === '' ? null : parse(Number(text));
  const commit = () => {
    if (parsed === null) setText(String(value));
    else if (parsed !== value) onCommit(parsed);
  };
  return (
    <TextField
      label={label}
      size="small"
      type="number"
      value={text}
      disabled={disabled}
      error={parsed === null}
      helperText={parsed === null ? 'Not valid here; Enter restores the current value.' : help}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
      slotProps={{ htmlInput: { step } }}
      sx={{ width: 220 }}
    />
  );
}

function fmtSeconds(sec: number): string {
  return sec < 10 ? `${sec.toFixed(1)} s` : `${Math.round(sec)} s`;
}
