/**
 * The three.js scene of the 3D face viewport. Geometry comes from the face model (evalFace,
 * TRIANGLES) in camera space, shaded per vertex with the frame's SH lighting by the same
 * function the conditioning renderer uses, and seen first through the video's camera.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import {
  createActorModel,
  createFaceGeometry,
  evalFace,
  neutralParams,
  shadeVertices,
  TRIANGLES,
  VERTEX_COUNT,
  type ActorModel,
} from '../../../src-shared/face/index.js';
import { evaluate, type TimelineDoc } from '../../../src-shared/timeline/index.js';
import type { ActorData } from '../engine/conditioning.js';

export class FaceScene {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera: THREE.PerspectiveCamera;
  private readonly controls: OrbitControls;
  private readonly mesh: THREE.Mesh;
  private readonly material: THREE.MeshBasicMaterial;
  private readonly model: ActorModel;
  private readonly geom = createFaceGeometry();
  private readonly params = neutralParams();
  private readonly colors = new Float32Array(VERTEX_COUNT * 3);
  private readonly resize: ResizeObserver;
  private framed = false;
  private raf = 0;

  constructor(
    private readonly host: HTMLElement,
    actor: ActorData,
  ) {
    this.model = createActorModel(Float32Array.from(actor.neutral), actor.albedo.length === VERTEX_COUNT * 3 ? Float32Array.from(actor.albedo) : undefined);
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio));
    this.renderer.domElement.style.display = 'block';
    host.appendChild(this.renderer.domElement);
    const fov = (2 * Math.atan(actor.height / 2 / actor.focalPx) * 180) / Math.PI;
    this.camera = new THREE.PerspectiveCamera(fov, 1, 10, 20000);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => this.draw());
    this.scene.background = new THREE.Color('#151515');

    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(this.geom.positions, 3));
    g.setAttribute('color', new THREE.BufferAttribute(this.colors, 3));
    g.setIndex(Array.from(TRIANGLES));
    this.material = new THREE.MeshBasicMaterial({ vertexColors: true, side: THREE.DoubleSide });
    this.mesh = new THREE.Mesh(g, this.material);
    this.scene.add(this.mesh);

    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(host);
    this.fit();
  }

  private fit(): void {
    const w = Math.max(1, this.host.clientWidth);
    const h = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(w, h);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.draw();
  }

  setFrame(doc: TimelineDoc, frame: number): void {
    const p = evaluate(doc, frame, this.params);
    evalFace(this.model, p, this.geom);
    shadeVertices(this.geom.normals, this.model.albedo, p.sh, this.colors, VERTEX_COUNT);
    for (let i = 0; i < this.colors.length; i++) this.colors[i] = Math.min(1, Math.max(0, this.colors[i]!));
    const g = this.mesh.geometry;
    g.attributes['position']!.needsUpdate = true;
    g.attributes['color']!.needsUpdate = true;
    g.computeBoundingSphere();
    if (!this.framed) {
      // First view: the video's own camera at the origin, orbiting about the head.
      this.framed = true;
      this.camera.position.set(0, 0, 0);
      this.controls.target.set(p.tx, p.ty, p.tz);
      this.controls.update();
    }
    this.draw();
  }

  setWireframe(on: boolean): void {
    this.material.wireframe = on;
    this.draw();
  }

  private draw(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      this.renderer.render(this.scene, this.camera);
    });
  }

  dispose(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.resize.disconnect();
    this.controls.dispose();
    this.mesh.geometry.dispose();
    this.material.dispose();
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }
}
