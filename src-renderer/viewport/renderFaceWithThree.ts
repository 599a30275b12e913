import * as THREE from 'three';
import { computeVertexNormals, type FrameGeometry, type PixelCamera, type RenderTopology } from '../../src-shared/conditioning/index.js';
import { createConditioningMaterial, createFaceGeometry, pixelCameraToThree, updateFaceGeometry, type ViewportImage } from './shMaterial.js';

/**
 * Renders one conditioning image with three.js into a render target and reads it back as
 * 8-bit RGB, rows top to bottom: the same layout as frameImageToRgb8 of the software
 * renderer, for the browser e2e comparison of the two paths. When `coverage` is given
 * (W*H bytes) it receives 1 where the face covers the pixel, 0 for background (from alpha:
 * the target is cleared to transparent black and the material writes alpha 1).
 */
export function renderFaceWithThree(
  renderer: THREE.WebGLRenderer,
  topo: RenderTopology,
  frame: FrameGeometry,
  cam: PixelCamera,
  image: ViewportImage,
  coverage?: Uint8Array,
): Uint8Array {
  const { width: W, height: H } = cam;
  const target = new THREE.WebGLRenderTarget(W, H, { type: THREE.UnsignedByteType, depthBuffer: true, samples: 0 });
  const material = createConditioningMaterial(image);
  const geometry = createFaceGeometry(topo);
  let normals = frame.normals;
  if (!normals) {
    normals = new Float32Array(3 * topo.vertexCount);
    computeVertexNormals(frame.positions, topo.indices, topo.vertexCount, topo.normalSign, normals);
  }
  updateFaceGeometry(geometry, material, topo, frame, normals);
  const mesh = new THREE.Mesh(geometry, material);
  mesh.frustumCulled = false;
  mesh.matrixAutoUpdate = false;
  const scene = new THREE.Scene();
  scene.add(mesh);
  const camera = pixelCameraToThree(cam);
  const prevClear = renderer.getClearColor(new THREE.Color());
  const prevAlpha = renderer.getClearAlpha();
  try {
    renderer.setClearColor(0x000000, 0);
    renderer.setRenderTarget(target);
    renderer.render(scene, camera);
    const rgba = new Uint8Array(W * H * 4);
    renderer.readRenderTargetPixels(target, 0, 0, W, H, rgba);
    // GL rows run bottom to top.
    const out = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      const src = (H - 1 - y) * W * 4;
      for (let x = 0; x < W; x++) {
        out[(y * W + x) * 3] = rgba[src + 4 * x]!;
        out[(y * W + x) * 3 + 1] = rgba[src + 4 * x + 1]!;
        out[(y * W + x) * 3 + 2] = rgba[src + 4 * x + 2]!;
        if (coverage) coverage[y * W + x] = rgba[src + 4 * x + 3]! > 127 ? 1 : 0;
      }
    }
    return out;
  } finally {
    renderer.setRenderTarget(null);
    renderer.setClearColor(prevClear, prevAlpha);
    target.dispose();
    geometry.dispose();
    material.dispose();
  }
}
