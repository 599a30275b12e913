import { memo, useLayoutEffect, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import {
  CHANNEL_GROUPS,
  CHANNELS,
  channelEdit,
  channelValue,
  type ChannelDecl,
  type ChannelEdit,
  type ChannelGroup,
} from '../../../src-shared/timeline/index.js';
import { useAtom, useEditor } from '../hooks.js';
import { CURVE_COLORS } from './curve-editor-controller.js';
import { fmtValue } from '../ui/format.js';

const GROUP_LABEL: Record<ChannelGroup, string> = { head: 'Head', gaze: 'Gaze', blink: 'Blink', expression: 'Expression' };

/** Channels grouped as declared; click selects (Ctrl/Shift adds), M/S/L toggle flags as undoable commands. */
export function ChannelList({ height }: { height: number }) {
  const editor = useEditor();
  const doc = useAtom(editor.doc);
  const sel = useAtom(editor.selection);
  const [open, setOpen] = useState<Record<ChannelGroup, boolean>>({ head: true, gaze: true, blink: true, expression: false });
  // A group just opened scrolls to the top of the list, so its channels show without scrolling
  // past the groups above it (the list's own scroll only; the page never moves).
  const [reveal, setReveal] = useState<ChannelGroup | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const headers = useRef(new Map<ChannelGroup, HTMLElement>());
  useLayoutEffect(() => {
    const el = reveal && headers.current.get(reveal);
    if (el && list.current) list.current.scrollTop = el.offsetTop; // the list is the offset parent (position: relative)
  }, [reveal]);
  return (
    <Box ref={list} role="region" aria-label="Channels" sx={{ height, overflowY: 'auto', borderRight: 1, borderColor: 'divider', position: 'relative' }}>
      {CHANNEL_GROUPS.map((g) => (
        <Box key={g}>
          <ButtonBase
            ref={(el: HTMLButtonElement | null) => void (el ? headers.current.set(g, el) : headers.current.delete(g))}
            onClick={() => {
              setReveal(open[g] ? null : g);
              setOpen((o) => ({ ...o, [g]: !o[g] }));
            }}
            aria-expanded={open[g]}
            sx={{ width: '100%', justifyContent: 'flex-start', px: 1, py: 0.25, bgcolor: 'action.hover' }}
          >
            <Typography variant="caption" sx={{ fontWeight: 700 }}>
              {open[g] ? '▾' : '▸'} {GROUP_LABEL[g]}
            </Typography>
          </ButtonBase>
          {open[g] && (
            <Box role="list" aria-label={`${GROUP_LABEL[g]} channels`}>
            {CHANNELS.filter((d) => d.group === g).map((d) => (
              <ChannelRow
                key={d.id}
                decl={d}
                edit={channelEdit(doc.edits, d.id)}
                selectedIndex={sel.channels.indexOf(d.id)}
              />
            ))}
            </Box>
          )}
        </Box>
      ))}
    </Box>
  );
}

const ChannelRow = memo(function ChannelRow({ decl, edit, selectedIndex }: { decl: ChannelDecl; edit: ChannelEdit; selectedIndex: number }) {
  const editor = useEditor();
  const selected = selectedIndex >= 0;
  const flag = (f: 'mute' | 'solo' | 'lock', letter: string, color: string) => (
    <ButtonBase
      aria-label={`${f[0]!.toUpperCase()}${f.slice(1)} ${decl.label}`}
      aria-pressed={edit[f]}
      title={`${f} ${decl.label}`}
      onClick={(e) => {
        e.stopPropagation();
        editor.setFlag(decl.id, f, !edit[f]);
      }}
      sx={{ width: 18, height: 18, fontSize: 10, borderRadius: 0.5, border: 1, borderColor: 'divider', bgcolor: edit[f] ? color : 'transparent', color: edit[f] ? '#000' : 'text.secondary' }}
    >
      {letter}
    </ButtonBase>
  );
  return (
    <Box
      role="listitem"
      aria-label={decl.label}
      data-channel={decl.id}
      sx={{ display: 'flex', alignItems: 'center', gap: 0.5, pl: 1.5, pr: 0.5, py: 0.1, bgcolor: selected ? 'rgba(124,183,255,0.16)' : undefined, cursor: 'pointer' }}
      onClick={(e) => editor.selectChannel(decl.id, e.ctrlKey || e.metaKey || e.shiftKey)}
    >
      <Box sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: selected ? CURVE_COLORS[selectedIndex % CURVE_COLORS.length] : 'transparent', flex: 'none' }} />
      <ButtonBase
        sx={{ flex: 1, justifyContent: 'flex-start', fontSize: 12, minWidth: 0, overflow: 'hidden', whiteSpace: 'nowrap' }}
        aria-label={`Select ${decl.label}`}
        aria-pressed={selected}
        onClick={(e) => {
          e.stopPropagation();
          editor.selectChannel(decl.id, e.ctrlKey || e.metaKey || e.shiftKey);
        }}
      >
        {decl.label}
        {edit.keys.length > 0 && (
          <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 0.5 }}>
            ◆{edit.keys.length}
          </Typography>
        )}
      </ButtonBase>
      <ChannelValue decl={decl} />
      {flag('mute', 'M', '#ffb454')}
      {flag('solo', 'S', '#8ee07a')}
      {flag('lock', 'L', '#ff7a7a')}
    </Box>
  );
});

/** Leaf: the value at the playhead (re-renders per frame, alone). */
function ChannelValue({ decl }: { decl: ChannelDecl }) {
  const editor = useEditor();
  const frame = useAtom(editor.frame);
  const doc = useAtom(editor.doc);
  return (
    <Typography variant="caption" color="text.secondary" sx={{ width: 66, flex: 'none', textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} aria-label={`${decl.label} value`}>
      {fmtValue(channelValue(doc, decl.id, frame), decl.unit)}
    </Typography>
  );
}
