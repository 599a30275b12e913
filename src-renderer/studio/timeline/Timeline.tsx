import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { ChannelList } from './ChannelList.js';
import { CurveEditor } from './CurveEditor.js';
import { HoldList } from './HoldList.js';
import { KeyInspector } from './KeyInspector.js';
import { Ruler } from './Ruler.js';
import { TransportBar } from './TransportBar.js';

const LANE_HEIGHT = 260;

/** Transport, ruler, channel list beside the curve editor, and the key inspector. */
export function Timeline() {
  return (
    <Paper component="section" aria-label="Timeline" variant="outlined">
      <TransportBar />
      <Box sx={{ display: 'grid', gridTemplateColumns: '280px minmax(0, 1fr)' }}>
        <CurvesLegend />
        <Ruler />
        <ChannelList height={LANE_HEIGHT} />
        <CurveEditor height={LANE_HEIGHT} />
      </Box>
      <KeyInspector />
      <HoldList />
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
          ? `Tracked curves · ${editor.frameCount} frames @ ${Number(editor.fps.toFixed(3))} fps`
          : 'No tracked curves yet: track the target'}
      </Typography>
    </Box>
  );
}
