import type { ImageKind } from '../../../src-shared/conditioning/index.js';
import { Atom } from './atom.js';
import type { ConditioningPreview } from './conditioning.js';
import type { StudioEditor } from './editor.js';

export interface PreviewImages {
  frame: number;
  images: Record<ImageKind, ImageData> | null;
  ms: number;
}

/**
 * Re-renders the conditioning images when the playhead or the document changes, at most
 * once per animation frame; leaf canvases subscribe to `images`.
 */
export class PreviewDriver {
  readonly images = new Atom<PreviewImages | null>(null);
  readonly error = new Atom<unknown>(null);
  private raf = 0;
  private readonly offs: Array<() => void>;

  constructor(
    private readonly editor: StudioEditor,
    private readonly preview: ConditioningPreview,
  ) {
    this.offs = [editor.frame.subscribe(() => this.schedule()), editor.doc.subscribe(() => this.schedule())];
    this.renderNow();
  }

  private schedule(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.renderNow();
    });
  }

  renderNow(): void {
    const t0 = performance.now();
    const frame = this.editor.frame.get();
    try {
      const images = this.preview.render(this.editor.doc.get(), frame);
      this.images.set({ frame, images, ms: performance.now() - t0 });
      this.error.set(null);
    } catch (e) {
      this.error.set(e);
    }
  }

  dispose(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.offs.forEach((o) => o());
  }
}
