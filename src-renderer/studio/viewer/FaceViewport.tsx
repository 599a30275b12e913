import { useEffect, useRef, useState } from 'react';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { EmptyState, Panel } from './Panel.js';
import { FaceScene } from './face-scene.js';

/** three.js view of the fitted face at the playhead, orbitable, shaded or wireframe. */
export function FaceViewport({ enlarged }: { enlarged: boolean }) {
  const [wire, setWire] = useState(false);
  const toggle = (
    <FormControlLabel
      sx={{ mr: 0, '& .MuiFormControlLabel-label': { fontSize: 11 } }}
      control={<Switch size="small" checked={wire} onChange={(e) => setWire(e.target.checked)} />}
      label="Wireframe"
    />
  );
  return (
    <Panel id="viewport" enlarged={enlarged} extra={toggle}>
      <FaceCanvas wire={wire} />
    </Panel>
  );
}

function FaceCanvas({ wire }: { wire: boolean }) {
  const editor = useEditor();
  const session = useSession();
  const tracking = useAtom(session.tracking.target);
  const host = useRef<HTMLDivElement>(null);
  const scene = useRef<FaceScene | null>(null);
  const [error, setError] = useState<string | null>(null);
  const actor = tracking.kind === 'ready' ? tracking.data.actor : null;

  useEffect(() => {
    const el = host.current;
    if (!el || !actor) return;
    let s: FaceScene;
    try {
      s = new FaceScene(el, actor);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    scene.current = s;
    const update = () => s.setFrame(editor.doc.get(), editor.frame.get());
    update();
    const offs = [editor.frame.subscribe(update), editor.doc.subscribe(update)];
    return () => {
      offs.forEach((o) => o());
      s.dispose();
      scene.current = null;
    };
  }, [actor, editor]);

  useEffect(() => {
    scene.current?.setWireframe(wire);
  }, [wire, actor]);

  if (!actor) return <EmptyState>Track the target video to see the fitted face in 3D.</EmptyState>;
  if (error) return <EmptyState>3D view unavailable: {error}. The conditioning images still show the face.</EmptyState>;
  return <div ref={host} role="img" aria-label="3D face viewport (drag to orbit, wheel to zoom)" style={{ position: 'absolute', inset: 0 }} />;
}
