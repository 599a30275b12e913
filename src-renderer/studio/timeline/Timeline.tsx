import { useRef } from 'react';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { ChannelList } from './ChannelList.js';
import { CurveEditor } from './CurveEditor.js';
import { Ruler } from './Ruler.js';
import { TransportBar } from './TransportBar.js';
import { useElementSize } from '../../components/use-element-size.js';
import { count } from '../../../src-shared/text/count.js';

const COLUMNS = '260px minmax(0, 1fr)';

/**
 * Transport, ruler, and the channel list beside the curve editor, filling the pane it is given
 * (the lanes take whatever height the workspace leaves them). The selected key's values are in
 * the inspector.
 */
export function Timeline() {
  const lanes = useRef<HTMLDivElement>(null);
  const { height } = useElementSize(lanes);
  return (
    <Paper component="section" aria-label="Timeline" variant="outlined" sx={{ height: '100%', minHeight: 0, display: 'flex', flexDirection: 'column', overflow: 'hidden' }}>
      <TransportBar />
      <Box sx={{ display: 'grid', gridTemplateColumns: COLUMNS }}>
        <CurvesLegend />
        <Ruler />
      </Box>
      <Box ref={lanes} sx={{ flex: 1, minHeight: 0, display: 'grid', gridTemplateColumns: COLUMNS, overflow: 'hidden' }}>
        <ChannelList height={height} />
        <CurveEditor height={height} />
      </Box>
    </Paper>
  );
}

function CurvesLegend() {
  const session = useSession();
  const editor = useEditor();
  const tracking = useAtom(session.tracking.target);
  useAtom(editor.doc);
  return (
    <Box sx={{ px: 1, display: 'flex', alignItems: 'center', borderRight: 1, borderBottom: 1, borderColor: 'divider' }}>
      <Typography variant="caption" color="text.secondary" role="status" aria-label="Curves status">
        {tracking.kind === 'ready'
          ? `Tracked curves · ${count(editor.frameCount, 'frame')} @ ${Number(editor.fps.toFixed(3))} fps`
          : 'No tracked curves yet: track the target'}
      </Typography>
    </Box>
  );
}
