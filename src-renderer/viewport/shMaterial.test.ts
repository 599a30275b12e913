import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { buildTopology, ellipsoidHead, projectPoints, SH_GLSL, syntheticFrame, type PixelCamera } from '../../src-shared/conditioning/index.js';
import { createConditioningMaterial, createFaceGeometry, pixelCameraToThree, updateFaceGeometry } from './shMaterial.js';

describe('viewport camera and material', () => {
  it('projects camera-space points to the same pixels as the rasterizer', () => {
    const cam: PixelCamera = { fx: 510, fy: 505, cx: 140.3, cy: 119.7, width: 256, height: 240 };
    const three = pixelCameraToThree(cam);
    const pts = Float32Array.of(10, 20, -400, -35, 5, -650, 60, -40, -520);
    const sx = new Float32Array(3), sy = new Float32Array(3), iw = new Float32Array(3);
    projectPoints(cam, pts, 3, sx, sy, iw);
    for (let i = 0; i < 3; i++) {
      const v = new THREE.Vector3(pts[3 * i]!, pts[3 * i + 1]!, pts[3 * i + 2]!).applyMatrix4(three.projectionMatrix);
      expect(((v.x + 1) / 2) * cam.width).toBeCloseTo(sx[i]!, 3);
      expect(((1 - v.y) / 2) * cam.height).toBeCloseTo(sy[i]!, 3);
      expect(Math.abs(v.z)).toBeLessThan(1); // inside the depth range
    }
  });

  it('fills per-triangle attributes and per-frame uniforms', () => {
    const topo = buildTopology(ellipsoidHead({ rings: 16, segments: 24, eyeW: 25, eyeH: 15 }));
    const g = createFaceGeometry(topo);
    const m = createConditioningMaterial('gaze');
    const frame = syntheticFrame(topo, { blinkLeft: 1 });
    updateFaceGeometry(g, m, topo, frame, frame.normals!);
    const pos = g.getAttribute('position').array as Float32Array;
    const v = topo.indices[5]!;
    expect(Array.from(pos.subarray(15, 18))).toEqual(Array.from(frame.positions.subarray(3 * v, 3 * v + 3)));
    const eyeId = g.getAttribute('eyeId').array as Float32Array;
    expect(eyeId.filter((e) => e === 0).length).toBe(3 * topo.eyes.triEye.filter((e) => e === 0).length);
    const shape = m.uniforms['uEyeShape']!.value as THREE.Vector4[];
    expect(shape[0]!.z).toBeCloseTo(shape[0]!.w); // left lids meet: closed
    expect(shape[1]!.z).toBeGreaterThan(shape[1]!.w);
    expect(m.vertexShader).toContain(SH_GLSL.trim().split('\n')[0]!);
  });
});
