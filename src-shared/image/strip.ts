/**
 * A grid of equal square RGB8 tiles, row-major (rows x cols tiles of size x size): the
 * side-by-side strips (conditioning | output | baseline | real) a reviewer reads by eye.
 */
export function tileGrid(rows: readonly (readonly Uint8Array[])[], size: number): { rgb: Uint8Array; width: number; height: number } {
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const width = cols * size;
  const height = rows.length * size;
  const rgb = new Uint8Array(width * height * 3);
  const rowBytes = size * 3;
  rows.forEach((row, r) => {
    row.forEach((tile, c) => {
      if (tile.length !== size * size * 3) throw new RangeError(`tile ${r},${c} has ${tile.length} bytes, expected ${size}x${size}x3`);
      for (let y = 0; y < size; y++) rgb.set(tile.subarray(y * rowBytes, (y + 1) * rowBytes), ((r * size + y) * width + c * size) * 3);
    });
  });
  return { rgb, width, height };
}
