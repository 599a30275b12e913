import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import type { FolderListing } from '../../src-shared/ipc/contract.js';
import { useClient } from '../state/client-context.js';
import { ErrorAlert } from './ErrorAlert.js';
import { crumbsOf } from './path-crumbs.js';

export type PickKind = 'video' | 'folder';

const LAST_FOLDER_KEY = 'portrait.picker.lastFolder';

function size(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/**
 * "Browse…": the native dialog in Electron; in browser mode a picker over `files.list`, which
 * the host confines to the home folder (or its project roots) and the open projects.
 */
export function BrowseButton({ kind, title, startAt, onPick, disabled }: { kind: PickKind; title: string; startAt?: string | undefined; onPick: (path: string) => void; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const native = window.portrait?.pickPath;
  const browse = async () => {
    if (!native) return setOpen(true);
    const p = await native({ kind, title, ...(startAt ? { defaultPath: startAt } : {}) });
    if (p) onPick(p);
  };
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => void browse()} disabled={disabled} aria-label={title}>
        Browse…
      </Button>
      {open && (
        <PathPicker
          kind={kind}
          title={title}
          startAt={startAt}
          onClose={() => setOpen(false)}
          onPick={(p) => {
            setOpen(false);
            onPick(p);
          }}
        />
      )}
    </>
  );
}

export function PathPicker({ kind, title, startAt, onClose, onPick }: { kind: PickKind; title: string; startAt?: string | undefined; onClose: () => void; onPick: (path: string) => void }) {
  const client = useClient();
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const go = async (path: string | undefined) => {
    setError(null);
    try {
      const l = await client.call('files.list', { ...(path ? { path } : {}), show: kind === 'video' ? 'video' : 'folders' });
      setListing(l);
      setSelected(null);
      try {
        localStorage.setItem(LAST_FOLDER_KEY, l.path);
      } catch {
        /* storage unavailable: the picker just starts at home next time */
      }
    } catch (e) {
      setError(e);
      // A start folder that is gone or outside the roots: fall back to the first root.
      if (!listing && path) await go(undefined);
    }
  };
  useEffect(() => {
    let last: string | null = null;
    try {
      last = localStorage.getItem(LAST_FOLDER_KEY);
    } catch {
      last = null;
    }
    void go(startAt ?? last ?? undefined);
    // Opening the picker lists once; navigation calls go() itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const crumbs = listing ? crumbsOf(listing) : [];
  const choice = kind === 'folder' ? (selected ?? listing?.path ?? null) : selected;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" aria-labelledby="path-picker-title">
      <DialogTitle id="path-picker-title">{title}</DialogTitle>
      <DialogContent dividers sx={{ display: 'flex', flexDirection: 'column', gap: 1, minHeight: 360 }}>
        <Box role="group" aria-label="Places" sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {listing?.roots.map((r) => (
            <Chip key={r.path} label={r.label} title={r.path} size="small" onClick={() => void go(r.path)} color={listing.path === r.path ? 'primary' : 'default'} />
          ))}
        </Box>
        <Breadcrumbs aria-label="Folder" maxItems={6} sx={{ fontSize: 13 }}>
          {crumbs.map((c) => (
            <Button key={c.path} size="small" onClick={() => void go(c.path)} sx={{ textTransform: 'none', minWidth: 0, p: 0.25 }}>
              {c.name}
            </Button>
          ))}
        </Breadcrumbs>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <List dense aria-label="Folder contents" sx={{ flex: 1, overflowY: 'auto', border: 1, borderColor: 'divider', borderRadius: 1, maxHeight: 420 }}>
          {listing?.parent && (
            <ListItemButton onClick={() => void go(listing.parent!)} aria-label="Up one folder">
              <ListItemText primary="⬑ .." />
            </ListItemButton>
          )}
          {listing?.entries.map((e) => (
            <ListItemButton
              key={e.path}
              selected={selected === e.path}
              aria-label={`${e.kind === 'dir' ? 'Folder' : 'File'} ${e.name}`}
              onClick={() => (e.kind === 'dir' && kind === 'video' ? void go(e.path) : setSelected(e.path))}
              onDoubleClick={() => (e.kind === 'dir' ? void go(e.path) : onPick(e.path))}
            >
              <ListItemText primary={`${e.kind === 'dir' ? '📁 ' : ''}${e.name}`} secondary={e.kind === 'file' ? `${size(e.size)}${e.mtimeMs ? ` · ${new Date(e.mtimeMs).toLocaleString()}` : ''}` : null} />
            </ListItemButton>
          ))}
          {listing && listing.entries.length === 0 && (
            <Typography variant="body2" color="text.secondary" role="note" sx={{ p: 2 }}>
              {kind === 'video' ? 'No videos or folders here.' : 'No folders here.'}
            </Typography>
          )}
          {listing?.truncated && (
            <Typography variant="caption" color="text.secondary" role="note" sx={{ p: 1, display: 'block' }}>
              Only the first {listing.entries.length} entries are shown: type the path to reach others.
            </Typography>
          )}
        </List>
        <Typography variant="caption" color="text.secondary" aria-label="Chosen path" noWrap title={choice ?? ''}>
          {choice ?? (kind === 'video' ? 'Choose a video file.' : '')}
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={!choice} onClick={() => choice && onPick(choice)}>
          {kind === 'folder' ? (selected ? 'Choose selected folder' : 'Choose this folder') : 'Choose'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
