import Box from '@mui/material/Box';
import { PANEL_IDS, type PanelId } from '../engine/editor.js';
import { useAtom, useEditor } from '../hooks.js';
import { Panel, EmptyState } from './Panel.js';
import { FramePanelContent } from './FramePanel.js';
import { ConditioningProvider, ConditioningCanvas } from './ConditioningPanels.js';
import { FaceViewport } from './FaceViewport.js';
import { SynthPanel } from './SynthPanel.js';

/** Side-by-side panels at the playhead; each can be hidden or enlarged. */
export function Viewer() {
  const editor = useEditor();
  const panels = useAtom(editor.panels);
  const shown = PANEL_IDS.filter((id) => panels.visible[id] && (!panels.enlarged || panels.enlarged === id));
  return (
    <ConditioningProvider>
      <Box
        role="region"
        aria-label="Viewer"
        sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 1 }}
      >
        {shown.length === 0 && <EmptyState>All panels are hidden: turn them on in the Panels toolbar.</EmptyState>}
        {shown.map((id) => (
          <PanelFor key={id} id={id} enlarged={panels.enlarged === id} />
        ))}
      </Box>
    </ConditioningProvider>
  );
}

function PanelFor({ id, enlarged }: { id: PanelId; enlarged: boolean }) {
  switch (id) {
    case 'video':
      return <FramePanelContent id="video" kind="frame" enlarged={enlarged} />;
    case 'overlay':
      return <FramePanelContent id="overlay" kind="overlay" enlarged={enlarged} />;
    case 'color':
    case 'correspondence':
    case 'gaze':
      return (
        <Panel id={id} enlarged={enlarged}>
          <ConditioningCanvas kind={id} />
        </Panel>
      );
    case 'synth':
      return <SynthPanel enlarged={enlarged} />;
    case 'viewport':
      return <FaceViewport enlarged={enlarged} />;
  }
}
