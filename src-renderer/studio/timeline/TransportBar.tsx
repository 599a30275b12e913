import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import IconButton from '@mui/material/IconButton';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { INTERPOLATIONS } from '../../../src-shared/timeline/index.js';
import { actionById, interpLabel, shortcutLabel } from '../engine/actions.js';
import { timecode, zoomAt } from '../engine/time-map.js';
import { useAtom, useEditor } from '../hooks.js';

function ActionButton({ id, icon, label }: { id: string; icon: string; label?: string }) {
  const editor = useEditor();
  const a = actionById(id);
  const name = label ?? a.label;
  return (
    <Tooltip title={`${name} (${a.keys.map((k) => shortcutLabel(k)).join(' / ')})`}>
      <IconButton size="small" aria-label={name} onClick={() => a.perform(editor)}>
        <span aria-hidden style={{ fontSize: 12, lineHeight: 1, minWidth: 16, whiteSpace: 'nowrap', letterSpacing: -1 }}>{icon}</span>
      </IconButton>
    </Tooltip>
  );
}

/** A text button that runs an action; its accessible name is the action's label. */
function ActionTextButton({ id, text }: { id: string; text: string }) {
  const editor = useEditor();
  const a = actionById(id);
  return (
    <Tooltip title={`${a.label} (${a.keys.map((k) => shortcutLabel(k)).join(' / ')})`}>
      <Button size="small" aria-label={a.label} onClick={() => a.perform(editor)}>
        {text}
      </Button>
    </Tooltip>
  );
}

/** Playback, playhead position (frame + timecode), in/out, zoom, keying and interpolation. */
export function TransportBar() {
  const editor = useEditor();
  const rate = useAtom(editor.rate);
  const range = useAtom(editor.range);
  return (
    <Box role="toolbar" aria-label="Transport" sx={{ display: 'flex', alignItems: 'center', gap: 0.25, flexWrap: 'wrap', px: 1, py: 0.25, borderBottom: 1, borderColor: 'divider', flex: 'none', '& .MuiButton-root': { minWidth: 0, px: 0.6, textTransform: 'none' } }}>
      <ActionButton id="first" icon="|◀◀" />
      <ActionButton id="prevFrame" icon="◀|" />
      <ActionButton id="shuttleBack" icon="◀◀" />
      <ActionButton id="play" icon={rate !== 0 ? '||' : '▶'} label={rate !== 0 ? 'Pause' : 'Play'} />
      <ActionButton id="shuttleForward" icon="▶▶" />
      <ActionButton id="nextFrame" icon="|▶" />
      <ActionButton id="last" icon="▶▶|" />
      {rate !== 0 && Math.abs(rate) !== 1 && <Typography variant="caption">{rate}x</Typography>}
      <FrameField />
      <Timecode />
      <Box sx={{ width: 4 }} />
      <Tooltip title="Set in point at playhead (I)">
        <Button size="small" onClick={() => editor.setIn()} aria-label={`In point ${range.in}; set to playhead`}>
          In {range.in}
        </Button>
      </Tooltip>
      <Tooltip title="Set out point at playhead (O)">
        <Button size="small" onClick={() => editor.setOut()} aria-label={`Out point ${range.out}; set to playhead`}>
          Out {range.out}
        </Button>
      </Tooltip>
      <Box sx={{ flex: 1 }} />
      {/* Zoom and fit: one button group, styled like the other timeline buttons. */}
      <ButtonGroup size="small" variant="outlined" aria-label="Timeline zoom">
        <Tooltip title="Zoom in">
          <Button aria-label="Zoom in" onClick={() => editor.view.set(zoomAt(editor.view.get(), editor.laneWidth / 2, 1.5))}>
            +
          </Button>
        </Tooltip>
        <Tooltip title="Zoom out">
          <Button aria-label="Zoom out" onClick={() => editor.view.set(zoomAt(editor.view.get(), editor.laneWidth / 2, 1 / 1.5))}>
            −
          </Button>
        </Tooltip>
        <Tooltip title={`${actionById('frameAll').label} (${shortcutLabel(actionById('frameAll').keys[0]!)})`}>
          <Button aria-label={actionById('frameAll').label} onClick={() => actionById('frameAll').perform(editor)}>
            Fit
          </Button>
        </Tooltip>
      </ButtonGroup>
      <Button size="small" variant="outlined" onClick={() => editor.keySelectedAtPlayhead()} aria-label="Add key at playhead (K)">
        ◆ Key
      </Button>
      <Button size="small" onClick={() => editor.deleteSelectedKeys()} aria-label="Delete selected keys">
        Delete keys
      </Button>
      <InterpolationMenu />
      <ActionTextButton id="copyKeys" text="Copy" />
      <ActionTextButton id="pasteKeys" text="Paste" />
      <ActionTextButton id="holdRange" text="Hold" />
      <ActionTextButton id="bakeRange" text="Bake" />
    </Box>
  );
}

function FrameField() {
  const editor = useEditor();
  const frame = useAtom(editor.frame);
  const [text, setText] = useState(String(frame));
  useEffect(() => setText(String(frame)), [frame]);
  const commit = () => {
    const f = Number(text);
    if (Number.isFinite(f)) editor.setFrame(f);
    else setText(String(editor.frame.get()));
  };
  return (
    <TextField
      size="small"
      label="Frame"
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
          (e.target as HTMLInputElement).blur();
        }
      }}
      slotProps={{ htmlInput: { 'aria-label': 'Current frame', inputMode: 'numeric', style: { width: 52, padding: '3px 6px' } } }}
      sx={{ ml: 1 }}
    />
  );
}

function Timecode() {
  const editor = useEditor();
  const frame = useAtom(editor.frame);
  return (
    <Typography variant="body2" aria-label="Timecode" sx={{ fontVariantNumeric: 'tabular-nums', ml: 1 }}>
      {timecode(frame, editor.fps)} <span style={{ opacity: 0.6 }}>/ {timecode(Math.max(0, editor.frameCount - 1), editor.fps)}</span>
    </Typography>
  );
}

export function InterpolationMenu() {
  const editor = useEditor();
  const sel = useAtom(editor.selection);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <Button size="small" aria-haspopup="menu" aria-expanded={!!anchor} disabled={sel.keys.size === 0} onClick={(e) => setAnchor(e.currentTarget)}>
        Interpolation ▾
      </Button>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)}>
        {INTERPOLATIONS.map((i) => {
          const a = actionById(`interp.${i}`);
          return (
            <MenuItem
              key={i}
              onClick={() => {
                a.perform(editor);
                setAnchor(null);
              }}
            >
              {interpLabel(i)}
              <Typography variant="caption" color="text.secondary" sx={{ ml: 2 }}>
                {shortcutLabel(a.keys[0]!)}
              </Typography>
            </MenuItem>
          );
        })}
      </Menu>
    </>
  );
}
