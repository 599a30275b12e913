/**
 * Clockwise display rotation of a video stream from ffmpeg's report, the one parser for probe
 * and decode. Newer ffmpeg prints only the display matrix ("displaymatrix: rotation of -90.00
 * degrees", counter-clockwise); older ones the `rotate` tag (clockwise) too, or only the tag.
 * The matrix wins when both are there.
 */
export type Rotation = 0 | 90 | 180 | 270;

export function parseRotation(streamReport: string): Rotation {
  const dm = /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(streamReport);
  const tag = /^\s*rotate\s*:\s*(-?\d+)/m.exec(streamReport);
  let deg = 0;
  if (dm) deg = -Number(dm[1]);
  else if (tag) deg = Number(tag[1]);
  return ((((Math.round(deg / 90) * 90) % 360) + 360) % 360) as Rotation;
}
