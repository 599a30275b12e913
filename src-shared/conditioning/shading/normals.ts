/**
 * Area-weighted vertex normals of a posed mesh. `sign` flips them when the topology's
 * winding makes cross products point inward (see topology.ts), so normals always point
 * out of the face. Vertices on no triangle get (0, 0, 1).
 */
export function computeVertexNormals(
  pos: Float32Array,
  indices: Uint32Array,
  count: number,
  sign: number,
  out: Float32Array,
): void {
  out.fill(0, 0, 3 * count);
  const triCount = indices.length / 3;
  for (let t = 0; t < triCount; t++) {
    const a = 3 * indices[3 * t]!, b = 3 * indices[3 * t + 1]!, c = 3 * indices[3 * t + 2]!;
    const ux = pos[b]! - pos[a]!, uy = pos[b + 1]! - pos[a + 1]!, uz = pos[b + 2]! - pos[a + 2]!;
    const vx = pos[c]! - pos[a]!, vy = pos[c + 1]! - pos[a + 1]!, vz = pos[c + 2]! - pos[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    out[a] = out[a]! + nx; out[a + 1] = out[a + 1]! + ny; out[a + 2] = out[a + 2]! + nz;
    out[b] = out[b]! + nx; out[b + 1] = out[b + 1]! + ny; out[b + 2] = out[b + 2]! + nz;
    out[c] = out[c]! + nx; out[c + 1] = out[c + 1]! + ny; out[c + 2] = out[c + 2]! + nz;
  }
  for (let i = 0; i < 3 * count; i += 3) {
    const x = out[i]!, y = out[i + 1]!, z = out[i + 2]!;
    const len = Math.hypot(x, y, z);
    if (len === 0) {
      out[i] = 0; out[i + 1] = 0; out[i + 2] = 1;
    } else {
      const s = sign / len;
      out[i] = x * s; out[i + 1] = y * s; out[i + 2] = z * s;
    }
  }
}
