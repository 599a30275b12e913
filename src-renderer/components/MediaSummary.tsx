import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import type { MediaInfo } from '../../src-shared/media/schema.js';
import { count } from '../../src-shared/text/count.js';

function duration(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = (sec % 60).toFixed(2).padStart(5, '0');
  return `${m}:${s}`;
}

export function MediaSummary({ media }: { media: MediaInfo }) {
  const rows: Array<[string, string]> = [
    ['File', media.path],
    ['Size', `${media.displayWidth}x${media.displayHeight}${media.rotation ? ` (rotated ${media.rotation}°)` : ''}`],
    ['Frame rate', `${Number(media.fps.toFixed(3))} fps${media.variableFrameRate ? ' (variable)' : ''}`],
    ['Duration', `${duration(media.durationSec)} · ${count(media.frameCount, 'frame')}`],
    ['Video', `${media.videoCodec}, ${media.pixelFormat}`],
    ['Audio', media.audio.length ? media.audio.map((a) => `${a.codec} ${a.sampleRate} Hz, ${a.channels} ch`).join('; ') : 'none'],
  ];
  return (
    <Table size="small" aria-label="Video properties">
      <TableBody>
        {rows.map(([k, v]) => (
          <TableRow key={k}>
            <TableCell component="th" scope="row" sx={{ width: 110 }}>
              {k}
            </TableCell>
            <TableCell sx={{ wordBreak: 'break-all' }}>{v}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
