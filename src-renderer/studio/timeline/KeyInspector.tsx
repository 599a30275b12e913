import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { channelDecl, channelEdit, heldEnds, INTERPOLATIONS, type Interpolation, type Keyframe } from '../../../src-shared/timeline/index.js';
import { interpLabel } from '../engine/actions.js';
import { keyId, type KeyRef } from '../engine/curve-geometry.js';
import { useAtom, useEditor } from '../hooks.js';

/** Numeric editing of the selected key, and the keys of the shown channels as a list. */
export function KeyInspector() {
  const editor = useEditor();
  const doc = useAtom(editor.doc);
  const sel = useAtom(editor.selection);
  const refs = [...sel.keys].map((id) => {
    const at = id.lastIndexOf('@');
    return { channel: id.slice(0, at), frame: Number(id.slice(at + 1)) } as KeyRef;
  });
  const one = refs.length === 1 ? refs[0]! : null;
  const key = one ? channelEdit(doc.edits, one.channel).keys.find((k) => k.frame === one.frame) : undefined;
  const shownKeys = sel.channels.flatMap((channel) => channelEdit(doc.edits, channel).keys.map((k) => ({ channel, k })));

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1.5, p: 1 }}>
      <Box component="section" aria-label="Key inspector" sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        {one && key ? (
          <SingleKey ref_={one} k={key} />
        ) : (
          <Typography variant="body2" color="text.secondary">
            {refs.length > 1 ? `${refs.length} keys selected: drag them in the curve editor, or set their interpolation.` : 'No key selected. Press K to key the selected channels at the playhead, or double-click the curve.'}
          </Typography>
        )}
      </Box>
      <HeldOffsets />
      <Box component="nav" aria-label="Keys" sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
        {shownKeys.map(({ channel, k }) => {
          const id = keyId({ channel, frame: k.frame });
          const label = `${channelDecl(channel).label} key at frame ${k.frame}`;
          return (
            <ButtonBase
              key={id}
              aria-label={label}
              aria-pressed={sel.keys.has(id)}
              onClick={(e) => {
                editor.selectKeys([{ channel, frame: k.frame }], e.shiftKey || e.ctrlKey || e.metaKey ? 'toggle' : 'replace');
                editor.setFrame(k.frame);
              }}
              sx={{ fontSize: 11, px: 0.75, py: 0.25, border: 1, borderRadius: 1, borderColor: sel.keys.has(id) ? 'primary.main' : 'divider' }}
            >
              ◆ {k.frame}
            </ButtonBase>
          );
        })}
      </Box>
    </Box>
  );
}

const LIMIT_MARGIN = 12;

/** Says where the shown channels' offsets hold beyond their keys, and offers to keep them local. */
function HeldOffsets() {
  const editor = useEditor();
  const doc = useAtom(editor.doc);
  const sel = useAtom(editor.selection);
  const lines = sel.channels.flatMap((ch) => {
    const spans = heldEnds(channelEdit(doc.edits, ch).keys, doc.base.frameCount);
    if (spans.length === 0) return [];
    const d = channelDecl(ch);
    const unit = d.unit === 'deg' ? '°' : d.unit ? ` ${d.unit}` : '';
    const where = spans.map((h) => (h.start === h.end ? `frame ${h.start}` : `frames ${h.start}–${h.end}`)).join(' and ');
    return [`${d.label}: its offset (${fmt(spans[0]!.value)}${unit}) also applies over ${where}`];
  });
  if (lines.length === 0) return null;
  return (
    <Alert
      severity="info"
      aria-label="Offsets beyond the keys"
      action={
        <Button color="inherit" size="small" onClick={() => editor.confineShownOffsets(LIMIT_MARGIN)}>
          Limit to ±{LIMIT_MARGIN} frames
        </Button>
      }
    >
      An offset holds before the first key and after the last, so a single key shifts the whole clip (hatched under the curves).
      {lines.map((l) => (
        <Box key={l} component="span" sx={{ display: 'block' }}>
          {l}.
        </Box>
      ))}
    </Alert>
  );
}

function NumberField({ label, value, onCommit, width = 70 }: { label: string; value: number; onCommit: (v: number) => void; width?: number }) {
  const [text, setText] = useState(fmt(value));
  useEffect(() => setText(fmt(value)), [value]);
  const commit = () => {
    const v = Number(text);
    if (text.trim() !== '' && Number.isFinite(v) && v !== value) onCommit(v);
    else setText(fmt(value));
  };
  return (
    <TextField
      size="small"
      label={label}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setText(fmt(value));
      }}
      slotProps={{ htmlInput: { 'aria-label': label, inputMode: 'decimal', style: { width, padding: '4px 6px' } } }}
    />
  );
}

function fmt(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

function SingleKey({ ref_, k }: { ref_: KeyRef; k: Keyframe }) {
  const editor = useEditor();
  const doc = useAtom(editor.doc);
  const d = channelDecl(ref_.channel);
  const unit = d.unit === 'deg' ? '°' : d.unit;
  // A key stores an offset from the tracked (or transferred) curve; the absolute value is what
  // the face shows at the key's frame.
  const base = doc.base.channels[ref_.channel][Math.min(Math.max(0, ref_.frame), doc.base.frameCount - 1)] ?? 0;
  return (
    <>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {d.label}
      </Typography>
      <NumberField label="Key frame" value={k.frame} onCommit={(f) => editor.editKey(ref_, { frame: Math.round(f) })} width={50} />
      <NumberField label={`Key value${unit ? ` (${unit}, offset)` : ' (offset)'}`} value={k.value} onCommit={(v) => editor.editKey(ref_, { value: v })} />
      <NumberField label={`Absolute value${unit ? ` (${unit})` : ''}`} value={base + k.value} onCommit={(v) => editor.editKey(ref_, { value: v - base })} />
      <Typography variant="caption" color="text.secondary" aria-label="Key value meaning" sx={{ maxWidth: 220 }}>
        offset from the tracked curve ({fmt(base)}{unit} here)
      </Typography>
      <TextField
        select
        size="small"
        label="Key interpolation"
        value={k.interp}
        onChange={(e) => {
          editor.selectKeys([ref_]);
          editor.setInterpolation(e.target.value as Interpolation);
        }}
        slotProps={{ select: { inputProps: { 'aria-label': 'Key interpolation' } } }}
        sx={{ minWidth: 130 }}
      >
        {INTERPOLATIONS.map((i) => (
          <MenuItem key={i} value={i}>
            {interpLabel(i)}
          </MenuItem>
        ))}
      </TextField>
      <NumberField label="In slope" value={k.inSlope} onCommit={(v) => editor.setSlopes(ref_, { inSlope: v })} />
      <NumberField label="Out slope" value={k.outSlope} onCommit={(v) => editor.setSlopes(ref_, { outSlope: v })} />
    </>
  );
}
