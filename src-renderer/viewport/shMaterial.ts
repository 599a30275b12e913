import * as THREE from 'three';
import {
  emptyEyeState,
  eyeStatesForFrame,
  SH_GLSL,
  type EyeState,
  type FrameGeometry,
  type PixelCamera,
  type RenderTopology,
} from '../../src-shared/conditioning/index.js';

/**
 * The viewport's view of the face is the conditioning renderer's, on the GPU: the same
 * camera (pixel intrinsics -> projection matrix), the same per-vertex SH formula (GLSL
 * generated from src-shared), the same correspondence code and the same analytic eyes.
 */
export type ViewportImage = 'color' | 'correspondence' | 'gaze';
const MODE: Record<ViewportImage, number> = { color: 0, correspondence: 1, gaze: 2 };

const vertexShader = /* glsl */ `
${SH_GLSL}
uniform vec3 uSh[9];
attribute vec3 albedo;
attribute vec3 corr;
attribute vec2 eyeLocal;
attribute float eyeId;
varying vec3 vColor;
varying vec3 vCorr;
varying vec2 vEyeLocal;
varying float vEyeId;
void main() {
  // Per-vertex shading, clamped per vertex, interpolated: exactly the software path.
  vColor = clamp(albedo * shIrradiance(normalize(normal), uSh), 0.0, 1.0);
  vCorr = corr * 0.5 + 0.5;
  vEyeLocal = eyeLocal;
  vEyeId = eyeId;
  // Positions are already in camera space (posed by the face model).
  gl_Position = projectionMatrix * vec4(position, 1.0);
}
`;

const fragmentShader = /* glsl */ `
uniform int uMode;
// Per eye: (halfWidth, halfHeight, upperScale, lowerScale) and (pupilX, pupilY, pupilR2, 0).
uniform vec4 uEyeShape[2];
uniform vec4 uEyePupil[2];
varying vec3 vColor;
varying vec3 vCorr;
varying vec2 vEyeLocal;
varying float vEyeId;
int eyeClass(vec4 s, vec4 pu, vec2 p) {
  float u = p.x / s.x;
  float q = 1.0 - u * u;
  if (q <= 0.0) return 0;
  float a = s.y * sqrt(q);
  if (!(p.y > s.w * a && p.y < s.z * a)) return 0;
  vec2 d = p - pu.xy;
  return dot(d, d) <= pu.z ? 2 : 1;
}
void main() {
  if (uMode == 0) { gl_FragColor = vec4(vColor, 1.0); return; }
  if (uMode == 1) { gl_FragColor = vec4(vCorr, 1.0); return; }
  int cls = 0;
  if (vEyeId > -0.5) {
    int e = vEyeId < 0.5 ? 0 : 1;
    cls = e == 0 ? eyeClass(uEyeShape[0], uEyePupil[0], vEyeLocal) : eyeClass(uEyeShape[1], uEyePupil[1], vEyeLocal);
  }
  gl_FragColor = cls == 0 ? vec4(0.0, 0.0, 0.0, 1.0) : cls == 1 ? vec4(1.0) : vec4(0.0, 0.0, 1.0, 1.0);
}
`;

export function createConditioningMaterial(image: ViewportImage = 'color'): THREE.ShaderMaterial {
  return new THREE.ShaderMaterial({
    vertexShader,
    fragmentShader,
    uniforms: {
      uMode: { value: MODE[image] },
      uSh: { value: Array.from({ length: 9 }, () => new THREE.Vector3()) },
      uEyeShape: { value: [new THREE.Vector4(), new THREE.Vector4()] },
      uEyePupil: { value: [new THREE.Vector4(), new THREE.Vector4()] },
    },
    side: THREE.DoubleSide, // the software rasterizer is two-sided too
    toneMapped: false,
  });
}

/**
 * A camera whose projection is the rasterizer's: u = cx + fx X/-Z, v = cy - fy Y/-Z in a
 * width x height pixel grid (v down). Positions fed to it are camera space.
 */
export function pixelCameraToThree(cam: PixelCamera, near = 10, far = 10000, out: THREE.Camera = new THREE.Camera()): THREE.Camera {
  const { fx, fy, cx, cy, width: W, height: H } = cam;
  out.projectionMatrix.set(
    (2 * fx) / W, 0, 1 - (2 * cx) / W, 0,
    0, (2 * fy) / H, (2 * cy) / H - 1, 0,
    0, 0, -(far + near) / (far - near), (-2 * far * near) / (far - near),
    0, 0, -1, 0,
  );
  out.projectionMatrixInverse.copy(out.projectionMatrix).invert();
  out.matrixWorld.identity();
  out.matrixWorldInverse.identity();
  out.matrixAutoUpdate = false;
  return out;
}

/**
 * Non-indexed geometry (eye membership is per triangle, so vertices are not shared) with the
 * static attributes filled; call updateFaceGeometry every frame.
 */
export function createFaceGeometry(topo: RenderTopology): THREE.BufferGeometry {
  const n = 3 * topo.triCount;
  const g = new THREE.BufferGeometry();
  const corr = new Float32Array(3 * n);
  const eyeLocal = new Float32Array(2 * n);
  const eyeId = new Float32Array(n);
  for (let t = 0; t < topo.triCount; t++) {
    for (let k = 0; k < 3; k++) {
      const v = topo.indices[3 * t + k]!;
      const o = 3 * t + k;
      corr.set(topo.corrColor.subarray(3 * v, 3 * v + 3), 3 * o);
      eyeLocal.set(topo.eyes.local.subarray(2 * v, 2 * v + 2), 2 * o);
      eyeId[o] = topo.eyes.triEye[t]!;
    }
  }
  g.setAttribute('position', new THREE.BufferAttribute(new Float32Array(3 * n), 3));
  g.setAttribute('normal', new THREE.BufferAttribute(new Float32Array(3 * n), 3));
  g.setAttribute('albedo', new THREE.BufferAttribute(new Float32Array(3 * n), 3));
  g.setAttribute('corr', new THREE.BufferAttribute(corr, 3));
  g.setAttribute('eyeLocal', new THREE.BufferAttribute(eyeLocal, 2));
  g.setAttribute('eyeId', new THREE.BufferAttribute(eyeId, 1));
  return g;
}

const eyeScratch: [EyeState, EyeState] = [emptyEyeState(), emptyEyeState()];

/** Copies a frame's posed geometry into the buffers and its lighting and eyes into the uniforms. */
export function updateFaceGeometry(g: THREE.BufferGeometry, material: THREE.ShaderMaterial, topo: RenderTopology, frame: FrameGeometry, normals: Float32Array): void {
  const pos = g.getAttribute('position') as THREE.BufferAttribute;
  const nrm = g.getAttribute('normal') as THREE.BufferAttribute;
  const alb = g.getAttribute('albedo') as THREE.BufferAttribute;
  const P = pos.array as Float32Array, N = nrm.array as Float32Array, A = alb.array as Float32Array;
  for (let o = 0; o < 3 * topo.triCount; o++) {
    const v = 3 * topo.indices[o]!;
    for (let c = 0; c < 3; c++) {
      P[3 * o + c] = frame.positions[v + c]!;
      N[3 * o + c] = normals[v + c]!;
      A[3 * o + c] = frame.albedo[v + c]!;
    }
  }
  pos.needsUpdate = nrm.needsUpdate = alb.needsUpdate = true;
  g.computeBoundingSphere();

  const sh = material.uniforms['uSh']!.value as THREE.Vector3[];
  for (let b = 0; b < 9; b++) sh[b]!.set(frame.sh[3 * b]!, frame.sh[3 * b + 1]!, frame.sh[3 * b + 2]!);
  eyeStatesForFrame(topo.eyes, topo.indices, frame, eyeScratch);
  const shape = material.uniforms['uEyeShape']!.value as THREE.Vector4[];
  const pupil = material.uniforms['uEyePupil']!.value as THREE.Vector4[];
  for (let k = 0; k < 2; k++) {
    const s = eyeScratch[k]!;
    shape[k]!.set(s.halfWidth, s.halfHeight, s.upperScale, s.lowerScale);
    pupil[k]!.set(s.pupilX, s.pupilY, s.pupilR2, 0);
  }
}
