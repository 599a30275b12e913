import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import ToggleButton from '@mui/material/ToggleButton';
import Alert from '@mui/material/Alert';
import Tooltip from '@mui/material/Tooltip';
import { useSyncExternalStore } from 'react';
import { actionById, shortcutLabel } from '../engine/actions.js';
import { PANEL_IDS, PANEL_LABELS, PANEL_SHORT_LABELS } from '../engine/editor.js';
import { useAtom, useEditor } from '../hooks.js';
import { useSession } from '../session-context.js';
import { errorText } from '../../state/error-text.js';

/** Undo and redo keep one width whatever their label says, so the toolbar never shifts. */
const FIXED_LABEL = { width: 160, justifyContent: 'flex-start', textTransform: 'none' } as const;
const ELLIPSIS = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;

/** Undo/redo, save state, panel toggles and help; every button runs an action. */
export function StudioToolbar() {
  const editor = useEditor();
  const session = useSession();
  const panels = useAtom(editor.panels);
  const notice = useAtom(editor.notice);
  const editsError = useAtom(session.editsError);
  useAtom(editor.doc); // undo/redo availability follows the document
  const undo = actionById('undo');
  const redo = actionById('redo');
  const help = actionById('help');
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, flex: 'none' }}>
      <Box role="toolbar" aria-label="Studio tools" sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1, flex: 'none' }}>
        <Tooltip title={`${editor.history.undoLabel ? `Undo: ${editor.history.undoLabel}` : undo.label} (${shortcutLabel(undo.keys[0]!)})`}>
          <span>
            <Button size="small" variant="outlined" disabled={!editor.history.canUndo} onClick={() => undo.perform(editor)} sx={FIXED_LABEL}>
              <span style={ELLIPSIS}>Undo{editor.history.undoLabel ? `: ${editor.history.undoLabel}` : ''}</span>
            </Button>
          </span>
        </Tooltip>
        <Tooltip title={`${editor.history.redoLabel ? `Redo: ${editor.history.redoLabel}` : redo.label} (${shortcutLabel(redo.keys[0]!)})`}>
          <span>
            <Button size="small" variant="outlined" disabled={!editor.history.canRedo} onClick={() => redo.perform(editor)} sx={FIXED_LABEL}>
              <span style={ELLIPSIS}>Redo{editor.history.redoLabel ? `: ${editor.history.redoLabel}` : ''}</span>
            </Button>
          </span>
        </Tooltip>
        <SaveStatus />
        <Box sx={{ flex: 1 }} />
        <Box role="group" aria-label="Panels" sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {PANEL_IDS.map((id) => (
            <Tooltip key={id} title={PANEL_LABELS[id]}>
              <ToggleButton
                size="small"
                value={id}
                selected={panels.visible[id]}
                aria-label={`Show ${PANEL_LABELS[id]}`}
                onChange={() => editor.togglePanel(id)}
                sx={{ py: 0.25, px: 1, textTransform: 'none' }}
              >
                {PANEL_SHORT_LABELS[id]}
              </ToggleButton>
            </Tooltip>
          ))}
        </Box>
        <Tooltip title="Keyboard shortcuts (?)">
          <Button size="small" variant="outlined" onClick={() => help.perform(editor)} aria-label="Keyboard shortcuts (?)" sx={{ minWidth: 32, px: 1 }}>
            ?
          </Button>
        </Tooltip>
      </Box>
      {editsError ? (
        <Alert severity="warning" role="alert">
          Saved edits could not be loaded ({errorText(editsError).title}). Edits made now stay in memory and are not saved.{' '}
          {errorText(editsError).hint}
        </Alert>
      ) : null}
      <SaveErrorAlert />
      {notice && (
        <Alert severity={notice.severity} onClose={() => editor.notice.set(null)} role="status">
          {notice.text}
        </Alert>
      )}
    </Box>
  );
}

function SaveStatus() {
  const session = useSession();
  const s = useSyncExternalStore(session.saver.state.subscribe, session.saver.state.get);
  const label =
    s.kind === 'saved' ? (s.at ? 'All changes saved' : 'No unsaved changes') : s.kind === 'pending' ? 'Unsaved changes' : s.kind === 'saving' ? 'Saving…' : 'Save failed';
  const title = s.kind === 'error' ? `${errorText(s.error).title}. ${errorText(s.error).hint ?? 'Your edits are kept; the next change retries.'}` : label;
  return (
    <Tooltip title={title}>
      <Chip size="small" role="status" aria-label={`Save status: ${label}`} label={label} color={s.kind === 'error' ? 'error' : s.kind === 'saved' ? 'success' : 'default'} variant="outlined" />
    </Tooltip>
  );
}

/** A failed save is said plainly, with what happens next; edits stay in memory and retry. */
function SaveErrorAlert() {
  const session = useSession();
  const s = useSyncExternalStore(session.saver.state.subscribe, session.saver.state.get);
  if (s.kind !== 'error') return null;
  const t = errorText(s.error);
  return (
    <Alert
      severity="error"
      role="alert"
      action={
        <Button color="inherit" size="small" onClick={() => void session.flush()}>
          Retry save
        </Button>
      }
    >
      Edits could not be saved: {t.title}. {t.hint ?? 'Your edits are kept in this window; retry, or keep editing and the next change retries.'}
    </Alert>
  );
}
