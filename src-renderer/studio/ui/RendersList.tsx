import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import type { RenderEntry } from '../../../src-shared/ipc/contract.js';
import { count } from '../../../src-shared/text/count.js';
import { useClient } from '../../state/client-context.js';
import { renderFileUrl } from '../../transport.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { RENDER_CODECS } from '../../../src-shared/output/codecs.js';

function bytes(n: number): string {
  if (n < 1024 ** 2) return `${Math.max(1, Math.round(n / 1024))} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/**
 * The renders this project made (issue 16 item 16): name, size, date, what they are; a video
 * plays here (a browser plays H.264; ProRes is listed, not played); Electron adds "Show in folder".
 * `version` changes when a render finishes, so the list re-reads.
 */
export function RendersList({ dir, version }: { dir: string; version: string }) {
  const client = useClient();
  const [renders, setRenders] = useState<RenderEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const reveal = window.portrait?.revealRender;
  useEffect(() => {
    let alive = true;
    client
      .call('render.list', { dir })
      .then((r) => alive && setRenders(r))
      .catch((e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [client, dir, version]);

  if (error) return <ErrorAlert error={error} onClose={() => setError(null)} />;
  if (!renders) return null;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.75, borderTop: 1, borderColor: 'divider', pt: 1 }}>
      <Typography variant="caption" component="h3" sx={{ fontWeight: 600 }}>
        Renders
      </Typography>
      {renders.length === 0 && (
        <Typography variant="caption" color="text.secondary" role="note">
          No renders yet: they are listed here, with a player.
        </Typography>
      )}
      <Box component="ul" aria-label="Rendered files" sx={{ listStyle: 'none', m: 0, p: 0, display: 'flex', flexDirection: 'column', gap: 0.75 }}>
        {renders.map((r) => {
          const name = baseName(r.file);
          const playable = r.size !== null && RENDER_CODECS[r.codec].playsInBrowser;
          return (
            <Box component="li" key={r.file} aria-label={`Render ${name}`} sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }} title={r.file}>
                  {name}
                </Typography>
                <Typography variant="caption" color="text.secondary" aria-label={`${name} details`}>
                  {r.size === null ? 'file missing' : bytes(r.size)} · {new Date(r.renderedAt).toLocaleString()} · {count(r.frames, 'frame')} · {r.layout}
                  {r.codec === 'h264' ? '' : ` · ${RENDER_CODECS[r.codec].label}`} · model step {r.checkpointStep}
                </Typography>
                <Box sx={{ flex: 1 }} />
                {playable && (
                  <Button size="small" onClick={() => setPlaying(playing === r.file ? null : r.file)} aria-label={`${playing === r.file ? 'Close player for' : 'Play'} ${name}`}>
                    {playing === r.file ? 'Close' : 'Play'}
                  </Button>
                )}
                {reveal && r.size !== null && (
                  <Button size="small" onClick={() => void reveal(dir, r.file)} aria-label={`Show ${name} in its folder`}>
                    Show in folder
                  </Button>
                )}
              </Box>
              {playing === r.file && (
                <video
                  controls
                  autoPlay
                  src={renderFileUrl(dir, r.file)}
                  aria-label={`Player: ${name}`}
                  style={{ width: '100%', maxHeight: 360, background: '#000' }}
                />
              )}
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
