import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ImageKind } from '../../../src-shared/conditioning/index.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { ConditioningPreview } from '../engine/conditioning.js';
import { PreviewDriver } from '../engine/preview-driver.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { EmptyState } from './Panel.js';

const DriverContext = createContext<{ driver: PreviewDriver | null; error: unknown }>({ driver: null, error: null });

/** Owns the client-side conditioning renderer for the target actor while the viewer is shown. */
export function ConditioningProvider({ children }: { children: ReactNode }) {
  const editor = useEditor();
  const session = useSession();
  const tracking = useAtom(session.tracking.target);
  const [value, setValue] = useState<{ driver: PreviewDriver | null; error: unknown }>({ driver: null, error: null });
  useEffect(() => {
    if (tracking.kind !== 'ready' || !tracking.data.actor) {
      setValue({ driver: null, error: null });
      return;
    }
    let driver: PreviewDriver | null = null;
    try {
      driver = new PreviewDriver(editor, new ConditioningPreview(tracking.data.actor, tracking.data.crops));
      setValue({ driver, error: null });
    } catch (e) {
      setValue({ driver: null, error: e });
    }
    return () => driver?.dispose();
  }, [editor, tracking]);
  return <DriverContext.Provider value={value}>{children}</DriverContext.Provider>;
}

const KIND_LABEL: Record<ImageKind, string> = {
  color: 'Color conditioning image',
  correspondence: 'Correspondence conditioning image',
  gaze: 'Eye gaze conditioning image',
};

export function ConditioningCanvas({ kind }: { kind: ImageKind }) {
  const { driver, error } = useContext(DriverContext);
  if (error) return <ErrorAlert error={error} />;
  if (!driver) return <EmptyState>Track the target video to see its conditioning images.</EmptyState>;
  return <LiveCanvas driver={driver} kind={kind} />;
}

/** Leaf: paints the latest rendered image without re-rendering React per frame. */
function LiveCanvas({ driver, kind }: { driver: PreviewDriver; kind: ImageKind }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const err = useAtom(driver.error);
  useEffect(() => {
    const paint = () => {
      const c = ref.current;
      const p = driver.images.get();
      if (!c || !p) return;
      const img = p.images?.[kind];
      const ctx = c.getContext('2d');
      if (!ctx) return;
      if (!img) {
        ctx.fillStyle = '#000';
        ctx.fillRect(0, 0, c.width, c.height);
        return;
      }
      if (c.width !== img.width) c.width = img.width;
      if (c.height !== img.height) c.height = img.height;
      ctx.putImageData(img, 0, 0);
      c.dataset['frame'] = String(p.frame);
      c.title = `frame ${p.frame} · ${p.ms.toFixed(1)} ms`;
    };
    paint();
    return driver.images.subscribe(paint);
  }, [driver, kind]);
  if (err) return <ErrorAlert error={err} />;
  return <canvas ref={ref} width={256} height={256} role="img" aria-label={KIND_LABEL[kind]} style={{ width: '100%', height: '100%', objectFit: 'contain', imageRendering: 'auto' }} />;
}
