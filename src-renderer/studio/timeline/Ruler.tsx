import { useEffect, useRef } from 'react';
import { useAtom, useEditor } from '../hooks.js';
import { frameToX, panBy, tickStep, ticks, timecode, xToFrameSnapped, zoomAt } from '../engine/time-map.js';

/** Frame ruler: numbers, in/out range, playhead; drag to scrub, wheel to zoom, Shift+wheel to pan. */
export function Ruler() {
  const editor = useEditor();
  const ref = useRef<HTMLCanvasElement>(null);
  const frame = useAtom(editor.frame);

  useEffect(() => {
    const c = ref.current!;
    const ctx = c.getContext('2d')!;
    let raf = 0;
    const draw = () => {
      raf = 0;
      const host = c.parentElement!;
      const W = host.clientWidth;
      const H = 30;
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      if (c.width !== W * dpr) {
        c.width = W * dpr;
        c.height = H * dpr;
        c.style.width = `${W}px`;
        c.style.height = `${H}px`;
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const tv = editor.view.get();
      const n = editor.frameCount;
      ctx.fillStyle = '#222';
      ctx.fillRect(0, 0, W, H);
      // Clip extent and in/out range.
      ctx.fillStyle = '#2d3a4a';
      const r = editor.range.get();
      ctx.fillRect(frameToX(tv, r.in - 0.5), H - 6, frameToX(tv, r.out + 0.5) - frameToX(tv, r.in - 0.5), 6);
      ctx.fillStyle = '#7cb7ff';
      for (const f of [r.in, r.out]) ctx.fillRect(frameToX(tv, f) - 1, H - 10, 2, 10);
      // Room for an HH:MM:SS:FF label between labelled ticks.
      const step = tickStep(tv.pxPerFrame, editor.fps, 84);
      ctx.font = '10px system-ui, sans-serif';
      ctx.strokeStyle = '#666';
      ctx.fillStyle = '#bbb';
      const minor = step >= 5 && step * tv.pxPerFrame > 120 ? step / 5 : 0;
      if (minor) for (const f of ticks(tv, W, minor)) if (f < n) {
        const x = Math.round(frameToX(tv, f)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, 5);
        ctx.stroke();
      }
      for (const f of ticks(tv, W, step)) {
        if (f >= n) break;
        const x = Math.round(frameToX(tv, f)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, 10);
        ctx.stroke();
        ctx.fillText(String(f), x + 3, 12);
        if (step >= Math.round(editor.fps)) ctx.fillText(timecode(f, editor.fps), x + 3, 22);
      }
      const px = frameToX(tv, editor.frame.get());
      ctx.fillStyle = '#ff5252';
      ctx.beginPath();
      ctx.moveTo(px - 5, 0);
      ctx.lineTo(px + 5, 0);
      ctx.lineTo(px, 8);
      ctx.closePath();
      ctx.fill();
      ctx.fillRect(px - 0.5, 0, 1, H);
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(draw);
    };
    const offs = [editor.view, editor.frame, editor.range, editor.doc].map((a) => a.subscribe(schedule));
    const ro = new ResizeObserver(schedule);
    ro.observe(c.parentElement!);
    draw();

    let scrubbing = false;
    const scrub = (e: PointerEvent) => {
      const x = e.clientX - c.getBoundingClientRect().left;
      editor.setFrame(xToFrameSnapped(editor.view.get(), x, editor.frameCount));
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      scrubbing = true;
      editor.pause();
      c.setPointerCapture(e.pointerId);
      scrub(e);
    };
    const move = (e: PointerEvent) => scrubbing && scrub(e);
    const up = () => {
      scrubbing = false;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const x = e.clientX - c.getBoundingClientRect().left;
      if (e.shiftKey) editor.view.set(panBy(editor.view.get(), -(e.deltaY || e.deltaX)));
      else editor.view.set(zoomAt(editor.view.get(), x, Math.exp(-e.deltaY * 0.0015)));
    };
    c.addEventListener('pointerdown', down);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up);
    c.addEventListener('wheel', wheel, { passive: false });
    return () => {
      if (raf) cancelAnimationFrame(raf);
      offs.forEach((o) => o());
      ro.disconnect();
      c.removeEventListener('pointerdown', down);
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerup', up);
      c.removeEventListener('wheel', wheel);
    };
  }, [editor]);

  return (
    <div style={{ height: 30, position: 'relative' }}>
      <canvas
        ref={ref}
        role="slider"
        tabIndex={0}
        aria-label="Playhead"
        aria-valuemin={0}
        aria-valuemax={Math.max(0, editor.frameCount - 1)}
        aria-valuenow={frame}
        aria-valuetext={`frame ${frame}, ${timecode(frame, editor.fps)}`}
        style={{ display: 'block', cursor: 'ew-resize' }}
      />
    </div>
  );
}
