import { useEffect, useRef, useState } from 'react';
import Divider from '@mui/material/Divider';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Typography from '@mui/material/Typography';
import { channelDecl, type Hold } from '../../../src-shared/timeline/index.js';
import { actionById, shortcutLabel } from '../engine/actions.js';
import { xToFrameSnapped } from '../engine/time-map.js';
import { holdsAt } from '../engine/transfer-ops.js';
import { useEditor } from '../hooks.js';
import { CurveEditorController } from './curve-editor-controller.js';

const MENU_ACTIONS = ['copyKeys', 'pasteKeys', 'holdRange', 'bakeRange'] as const;

export function holdLabel(h: Hold): string {
  return `${channelDecl(h.channel).label}, frames ${h.start} to ${h.end}`;
}

export function CurveEditor({ height }: { height: number }) {
  const editor = useEditor();
  const ref = useRef<HTMLCanvasElement>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; holds: Hold[] } | null>(null);
  useEffect(() => {
    const ctl = new CurveEditorController(ref.current!, editor);
    return () => ctl.dispose();
  }, [editor]);
  const close = () => setMenu(null);
  return (
    <div style={{ height, position: 'relative', overflow: 'hidden' }}>
      <canvas
        ref={ref}
        tabIndex={0}
        role="application"
        aria-label="Curve editor"
        aria-roledescription="curve editor"
        aria-describedby="curve-editor-help"
        style={{ display: 'block', outline: 'none', touchAction: 'none' }}
        onContextMenu={(e) => {
          e.preventDefault();
          const r = e.currentTarget.getBoundingClientRect();
          const frame = xToFrameSnapped(editor.view.get(), e.clientX - r.left, editor.frameCount);
          const holds = holdsAt(editor.doc.get().edits.holds, editor.selection.get().channels, frame);
          setMenu({ x: e.clientX, y: e.clientY, holds });
        }}
      />
      <span id="curve-editor-help" hidden>
        Double-click adds a key; drag keys to move; drag empty space to box-select; wheel zooms; right-click for copy, paste,
        hold, bake and removing holds; press ? for shortcuts.
      </span>
      <Menu
        open={!!menu}
        onClose={close}
        anchorReference="anchorPosition"
        anchorPosition={menu ? { top: menu.y, left: menu.x } : undefined}
        slotProps={{ list: { 'aria-label': 'Curve editor menu' } }}
      >
        {menu?.holds.map((h, i) => (
          <MenuItem
            key={`${h.channel}:${h.start}:${h.end}:${i}`}
            onClick={() => {
              editor.removeHold(h);
              close();
            }}
          >
            Remove hold: {holdLabel(h)}
          </MenuItem>
        ))}
        {menu && menu.holds.length > 0 && <Divider />}
        {MENU_ACTIONS.map((id) => {
          const a = actionById(id);
          return (
            <MenuItem
              key={id}
              onClick={() => {
                close();
                a.perform(editor);
              }}
            >
              <ListItemText>{a.label}</ListItemText>
              <Typography variant="caption" color="text.secondary" sx={{ ml: 2 }}>
                {shortcutLabel(a.keys[0]!)}
              </Typography>
            </MenuItem>
          );
        })}
      </Menu>
    </div>
  );
}
