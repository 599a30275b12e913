import { useEffect, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { styled } from '@mui/material/styles';
import { Group, Panel as Pane, Separator, useDefaultLayout } from 'react-resizable-panels';
import { INSPECTOR_TABS, initialInspectorTab, type InspectorTab } from './engine/inspector-tabs.js';
import { useSession } from './session-context.js';
import { Viewer } from './viewer/Viewer.js';
import { Timeline } from './timeline/Timeline.js';
import { KeyInspector } from './timeline/KeyInspector.js';
import { HoldList } from './timeline/HoldList.js';
import { TrackingBar } from './ui/TrackingBar.js';
import { TransferPanel } from './ui/TransferPanel.js';
import { TrainingPanel } from './training/TrainingPanel.js';
import { RenderPanel } from './ui/RenderPanel.js';

const TAB_KEY = 'portrait.inspectorTab';

/** Layout sizes and the inspector tab survive a reload (per browser profile, not per project). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const Sep = styled(Separator)(({ theme }) => ({
  background: theme.palette.divider,
  transition: 'background 120ms',
  '&[data-separator="hover"], &[data-separator="active"], &[data-separator="focus"]': { background: theme.palette.primary.main },
}));

/**
 * The studio on one screen, as in an editor's NLE: the viewer top left, the inspector (tabs)
 * top right, the timeline below; the panes are resizable and keep their sizes; nothing is
 * below the fold (each pane scrolls inside itself if the window is too small for it).
 */
export function Workspace({ media }: { media: ReactNode }) {
  const session = useSession();
  const store = storage();
  const rows = useDefaultLayout({ id: 'portrait.workspace.rows', storage: store });
  const columns = useDefaultLayout({ id: 'portrait.workspace.columns', storage: store });
  const [tab, setTab] = useState<InspectorTab>(() => initialInspectorTab(store?.getItem(TAB_KEY), session.tracking.target.get().kind === 'ready'));
  // The tab on screen is the one kept, also when it was shown without a click (Media on a new project).
  useEffect(() => store?.setItem(TAB_KEY, tab), [store, tab]);
  const choose = (t: InspectorTab) => setTab(t);
  const content: Record<InspectorTab, ReactNode> = {
    media: (
      <>
        {media}
        <TrackingBar />
      </>
    ),
    key: (
      <>
        <KeyInspector />
        <HoldList />
      </>
    ),
    transfer: <TransferPanel />,
    training: <TrainingPanel />,
    render: <RenderPanel />,
  };
  return (
    <Group orientation="vertical" id="workspace-rows" defaultLayout={rows.defaultLayout} onLayoutChanged={rows.onLayoutChanged} style={{ flex: 1, minHeight: 0 }}>
      <Pane id="upper" defaultSize="58%" minSize={160}>
        <Group orientation="horizontal" id="workspace-columns" defaultLayout={columns.defaultLayout} onLayoutChanged={columns.onLayoutChanged} style={{ height: '100%' }}>
          <Pane id="viewer" defaultSize="64%" minSize={240}>
            <Box sx={{ height: '100%', pr: 0.5 }}>
              <Viewer />
            </Box>
          </Pane>
          <Sep id="viewer-inspector" aria-label="Resize viewer and inspector" style={{ width: 6 }} />
          <Pane id="inspector" defaultSize="36%" minSize={300}>
            <Box component="aside" aria-label="Inspector" sx={{ height: '100%', display: 'flex', flexDirection: 'column', minHeight: 0, pl: 0.5 }}>
              <Tabs value={tab} onChange={(_, v: InspectorTab) => choose(v)} variant="scrollable" scrollButtons="auto" aria-label="Inspector tabs" sx={{ minHeight: 36, borderBottom: 1, borderColor: 'divider' }}>
                {INSPECTOR_TABS.map((t) => (
                  <Tab key={t.id} value={t.id} id={`inspector-tab-${t.id}`} aria-controls={`inspector-panel-${t.id}`} title={t.hint} label={t.label} sx={{ minHeight: 36, py: 0.5, textTransform: 'none' }} />
                ))}
              </Tabs>
              {INSPECTOR_TABS.map((t) => (
                // Every tab stays mounted so a job a tab follows (an import, a render) keeps
                // its progress and result while another tab is shown.
                <Box
                  key={t.id}
                  role="tabpanel"
                  id={`inspector-panel-${t.id}`}
                  aria-labelledby={`inspector-tab-${t.id}`}
                  hidden={tab !== t.id}
                  sx={{ flex: 1, minHeight: 0, overflowY: 'auto', pt: 1, display: tab === t.id ? 'flex' : 'none', flexDirection: 'column', gap: 1.5 }}
                >
                  {content[t.id]}
                </Box>
              ))}
            </Box>
          </Pane>
        </Group>
      </Pane>
      <Sep id="viewer-timeline" aria-label="Resize viewer and timeline" style={{ height: 6 }} />
      <Pane id="timeline" defaultSize="42%" minSize={180}>
        <Timeline />
      </Pane>
    </Group>
  );
}
