import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { PANEL_LABELS, type PanelId } from '../engine/editor.js';
import { useEditor } from '../hooks.js';

/** A viewer panel: title bar with enlarge and hide, and its content in a square-ish box. */
export function Panel({ id, enlarged, children, extra }: { id: PanelId; enlarged: boolean; children: ReactNode; extra?: ReactNode }) {
  const editor = useEditor();
  const title = PANEL_LABELS[id];
  return (
    <Paper
      component="section"
      aria-label={title}
      variant="outlined"
      sx={{ display: 'flex', flexDirection: 'column', minWidth: 0, gridColumn: enlarged ? '1 / -1' : undefined }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', px: 1, py: 0.25, gap: 0.5, borderBottom: 1, borderColor: 'divider' }}>
        <Typography variant="caption" component="h3" sx={{ flex: 1, fontWeight: 600 }} noWrap>
          {title}
        </Typography>
        {extra}
        <IconButton size="small" aria-label={`${enlarged ? 'Restore' : 'Enlarge'} ${title}`} aria-pressed={enlarged} onClick={() => editor.toggleEnlarge(id)}>
          <span aria-hidden style={{ fontSize: 13, lineHeight: 1 }}>{enlarged ? '▣' : '□'}</span>
        </IconButton>
        <IconButton size="small" aria-label={`Hide ${title}`} onClick={() => editor.togglePanel(id)}>
          <span aria-hidden style={{ fontSize: 13, lineHeight: 1 }}>✕</span>
        </IconButton>
      </Box>
      <Box sx={{ position: 'relative', aspectRatio: enlarged ? '16 / 9' : '1 / 1', bgcolor: '#111', display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden' }}>
        {children}
      </Box>
    </Paper>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="text.secondary" role="note" sx={{ p: 2, textAlign: 'center' }}>
      {children}
    </Typography>
  );
}
