import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useAtom, useEditor } from '../hooks.js';
import { holdLabel } from './CurveEditor.js';

/** The holds of the shown channels, each with a remove button (also in the curve editor's context menu). */
export function HoldList() {
  const editor = useEditor();
  const doc = useAtom(editor.doc);
  const sel = useAtom(editor.selection);
  const holds = doc.edits.holds.filter((h) => sel.channels.includes(h.channel));
  return (
    <Box
      component="section"
      aria-label="Holds"
      sx={{ display: 'flex', gap: 1, px: 1, py: 0.5, borderTop: 1, borderColor: 'divider', alignItems: 'center', flexWrap: 'wrap' }}
    >
      <Typography variant="caption" color="text.secondary">
        {holds.length === 0 ? 'No holds on the shown channels. Set in/out (I, O) and press H to hold.' : 'Holds:'}
      </Typography>
      {holds.map((h, i) => (
        <Button
          key={`${h.channel}:${h.start}:${h.end}:${i}`}
          size="small"
          variant="outlined"
          aria-label={`Remove hold on ${holdLabel(h)}`}
          onClick={() => editor.removeHold(h)}
        >
          {holdLabel(h)} ✕
        </Button>
      ))}
    </Box>
  );
}
