import { createContext, useContext, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { PANEL_LABELS, PANEL_SHORT_LABELS, type PanelId } from '../engine/editor.js';
import { useEditor } from '../hooks.js';

/** The content box every viewer panel gets, px: set by the Viewer from the pane's size. */
export const PanelBoxContext = createContext<{ width: number; height: number }>({ width: 240, height: 240 });

/** A viewer panel: title bar with enlarge and hide, and its content in the box the Viewer fits. */
export function Panel({ id, enlarged, children, extra }: { id: PanelId; enlarged: boolean; children: ReactNode; extra?: ReactNode }) {
  const editor = useEditor();
  const title = PANEL_LABELS[id];
  const box = useContext(PanelBoxContext);
  // A narrow panel shows its short name rather than a cut one (the full name is its label and tooltip).
  const shown = box.width < 200 || (extra && box.width < 300) ? PANEL_SHORT_LABELS[id] : title;
  return (
    <Paper
      component="section"
      aria-label={title}
      variant="outlined"
      sx={{ display: 'flex', flexDirection: 'column', minWidth: 0 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', px: 1, gap: 0.5, height: 30, boxSizing: 'border-box', borderBottom: 1, borderColor: 'divider' }}>
        <Typography variant="caption" component="h3" sx={{ flex: 1, minWidth: 0, fontWeight: 600 }} noWrap title={title}>
          {shown}
        </Typography>
        {extra}
        <IconButton size="small" aria-label={`${enlarged ? 'Restore' : 'Enlarge'} ${title}`} aria-pressed={enlarged} onClick={() => editor.toggleEnlarge(id)}>
          <span aria-hidden style={{ fontSize: 13, lineHeight: 1 }}>{enlarged ? '▣' : '□'}</span>
        </IconButton>
        <IconButton size="small" aria-label={`Hide ${title}`} onClick={() => editor.togglePanel(id)}>
          <span aria-hidden style={{ fontSize: 13, lineHeight: 1 }}>✕</span>
        </IconButton>
      </Box>
      <Box sx={{ position: 'relative', width: box.width, height: box.height, bgcolor: '#111', display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden' }}>
        {children}
      </Box>
    </Paper>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="text.secondary" role="note" sx={{ p: 1.5, textAlign: 'center', fontSize: 13, maxHeight: '100%', overflowY: 'auto' }}>
      {children}
    </Typography>
  );
}
