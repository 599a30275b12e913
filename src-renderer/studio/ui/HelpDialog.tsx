import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ACTIONS, shortcutLabel } from '../engine/actions.js';
import { useAtom, useEditor } from '../hooks.js';

const GROUPS = ['Playback', 'Keys', 'Edit', 'View', 'Help'] as const;

/** The shortcut list, generated from the action table. */
export function HelpDialog() {
  const editor = useEditor();
  const open = useAtom(editor.helpOpen);
  return (
    <Dialog open={open} onClose={() => editor.helpOpen.set(false)} aria-labelledby="studio-help-title" maxWidth="md" fullWidth>
      <DialogTitle id="studio-help-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        {GROUPS.map((g) => (
          <section key={g} aria-label={`${g} shortcuts`}>
            <Typography variant="subtitle2" component="h3" sx={{ mt: 1 }}>
              {g}
            </Typography>
            <Table size="small" aria-label={`${g} shortcuts`}>
              <TableBody>
                {ACTIONS.filter((a) => a.group === g).map((a) => (
                  <TableRow key={a.id}>
                    <TableCell sx={{ width: 200 }}>
                      {a.keys.map((k) => (
                        <kbd key={k} style={{ marginRight: 6, padding: '1px 5px', border: '1px solid #777', borderRadius: 3 }}>
                          {shortcutLabel(k)}
                        </kbd>
                      ))}
                    </TableCell>
                    <TableCell>{a.label}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </section>
        ))}
        <Typography variant="body2" sx={{ mt: 2 }} color="text.secondary">
          Curve editor: double-click adds a key, drag a key to move it, drag empty space to box-select (Shift adds), drag a
          handle to shape a bezier tangent, mouse wheel zooms time, Shift+wheel pans. The ruler scrubs the playhead.
        </Typography>
      </DialogContent>
    </Dialog>
  );
}
