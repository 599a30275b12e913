import * as THREE from 'three';
import { createFaceGeometry, evalFace } from '../../src-shared/face/index.js';
import { cropCamera, faceRenderTopology, frameGeometryFromFace, type CropBox } from '../../src-shared/conditioning/index.js';
import { renderFaceWithThree } from '../viewport/renderFaceWithThree.js';
import type { ViewportImage } from '../viewport/shMaterial.js';
import { VIEWPORT_TEST_INTRINSICS, VIEWPORT_TEST_SIZE, viewportTestActor, viewportTestParams } from './scene.js';

/**
 * Browser side of e2e/viewport.e2e.ts (bundled on the fly by esbuild, not part of the app):
 * renders the test scene with three.js and hands the bytes back as base64.
 */
export interface ViewportTestRequest {
  crop: CropBox;
  sh?: number[];
  images: ViewportImage[];
}
export interface ViewportTestImage {
  /** RGB8, rows top to bottom, base64. */
  rgb: string;
  /** One byte per pixel, 1 = covered, base64. */
  coverage: string;
}
export interface ViewportTestApi {
  glInfo(): { webgl2: boolean; renderer: string };
  render(req: ViewportTestRequest): Record<string, ViewportTestImage>;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const api: ViewportTestApi = {
  glInfo() {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return { webgl2: false, renderer: '' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return { webgl2: true, renderer: String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) };
  },
  render(req) {
    const size = VIEWPORT_TEST_SIZE;
    const actor = viewportTestActor();
    const params = viewportTestParams(req.sh);
    const geom = evalFace(actor, params, createFaceGeometry());
    const frame = frameGeometryFromFace(actor, geom, params);
    const cam = cropCamera(VIEWPORT_TEST_INTRINSICS, req.crop, size, size);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: true });
    try {
      const out: Record<string, ViewportTestImage> = {};
      for (const image of req.images) {
        const coverage = new Uint8Array(size * size);
        const rgb = renderFaceWithThree(renderer, faceRenderTopology(), frame, cam, image, coverage);
        out[image] = { rgb: toBase64(rgb), coverage: toBase64(coverage) };
      }
      return out;
    } finally {
      renderer.dispose();
    }
  },
};

(window as unknown as { __viewportTest: ViewportTestApi }).__viewportTest = api;
