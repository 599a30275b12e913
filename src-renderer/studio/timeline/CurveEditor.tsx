import { useEffect, useRef } from 'react';
import { useEditor } from '../hooks.js';
import { CurveEditorController } from './curve-editor-controller.js';

export function CurveEditor({ height }: { height: number }) {
  const editor = useEditor();
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctl = new CurveEditorController(ref.current!, editor);
    return () => ctl.dispose();
  }, [editor]);
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
      />
      <span id="curve-editor-help" hidden>
        Double-click adds a key; drag keys to move; drag empty space to box-select; wheel zooms; press ? for shortcuts.
      </span>
    </div>
  );
}
