import { useRef } from 'react';
import Box from '@mui/material/Box';
import { PANEL_IDS, type PanelId } from '../engine/editor.js';
import { enlargedBox, fitPanels, VIEWER_FIT } from '../engine/viewer-fit.js';
import { useElementSize } from '../../components/use-element-size.js';
import { useAtom, useEditor } from '../hooks.js';
import { Panel, EmptyState, PanelBoxContext } from './Panel.js';
import { FramePanelContent } from './FramePanel.js';
import { ConditioningProvider, ConditioningCanvas } from './ConditioningPanels.js';
import { FaceViewport } from './FaceViewport.js';
import { SynthPanel } from './SynthPanel.js';

/**
 * Panels at the playhead, tiled to fill the pane they are given (all on screen, each preview
 * as large as the pane allows); one enlarged panel takes the whole pane; each can be hidden.
 */
export function Viewer() {
  const editor = useEditor();
  const panels = useAtom(editor.panels);
  const pane = useRef<HTMLDivElement>(null);
  const size = useElementSize(pane);
  const shown = PANEL_IDS.filter((id) => panels.visible[id] && (!panels.enlarged || panels.enlarged === id));
  const enlarged = panels.enlarged !== null && shown.length === 1;
  const fit = fitPanels(shown.length, size.width, size.height);
  const box = enlarged ? enlargedBox(size.width, size.height) : { width: fit.cell, height: fit.cell };
  return (
    <ConditioningProvider>
      <Box ref={pane} role="region" aria-label="Viewer" data-fits={fit.fits} sx={{ height: '100%', minHeight: 0, overflow: fit.fits || enlarged ? 'hidden' : 'auto' }}>
        {shown.length === 0 && <EmptyState>All panels are hidden: turn them on in the Panels toolbar.</EmptyState>}
        {size.width > 0 && (
          <PanelBoxContext.Provider value={box}>
            <Box sx={{ display: 'grid', gridTemplateColumns: `repeat(${enlarged ? 1 : fit.columns}, ${box.width + VIEWER_FIT.frame}px)`, gap: `${VIEWER_FIT.gap}px`, justifyContent: 'center' }}>
              {shown.map((id) => (
                <PanelFor key={id} id={id} enlarged={panels.enlarged === id} />
              ))}
            </Box>
          </PanelBoxContext.Provider>
        )}
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
