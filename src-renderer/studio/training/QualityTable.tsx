import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { EvaluationReport, ImageFigures } from '../../../src-shared/evaluation/schema.js';
import {
  BASELINE_ROWS,
  bestBaseline,
  comparabilityLabel,
  controlCells,
  editMeasured,
  editDrawingCells,
  figureValue,
  FIGURE_COLUMNS,
  fmtFigure,
  NETWORK_LABEL,
  reportSummary,
  verdict,
  verdictText,
  VERDICT_COLOR,
  type FigureKey,
  type Verdict,
} from '../engine/quality-format.js';

const VERDICT_MARK: Record<Verdict, string> = { beats: '▲', behind: '▼', unmeasured: '' };

const cellSx = { px: 0.75, py: 0.25, whiteSpace: 'nowrap' } as const;

/**
 * One evaluation report: the network beside the no-network baselines (each network
 * figure coloured by whether it beats the best baseline; the best baseline of each column in
 * bold), then control, edits, notes and what was evaluated.
 */
export function QualityTable({ report }: { report: EvaluationReport }) {
  const notComparable = comparabilityLabel(report.checkpoint);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, minWidth: 0 }} aria-label="Evaluation report" role="group">
      {notComparable && (
        <Box>
          <Chip
            size="small"
            color="warning"
            variant="outlined"
            label={notComparable}
            aria-label={notComparable}
            title="Compare these figures only with the baselines of the same report: a test or preview profile is not comparable with full-size (paper profile, 256 px) results."
          />
        </Box>
      )}
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Quality figures" sx={{ width: 'auto' }}>
          <TableHead>
            <TableRow>
              <TableCell sx={cellSx}>predictor</TableCell>
              {FIGURE_COLUMNS.map((c) => (
                <TableCell key={c.key} align="right" sx={cellSx} title={c.description}>
                  {c.header}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            <TableRow aria-label={`${NETWORK_LABEL} figures`} selected sx={{ '& td, & th': { fontWeight: 600 } }}>
              <TableCell component="th" scope="row" sx={cellSx}>
                {NETWORK_LABEL}
              </TableCell>
              {FIGURE_COLUMNS.map((c) => (
                <NetworkCell key={c.key} report={report} figure={c.key} />
              ))}
            </TableRow>
            {BASELINE_ROWS.filter((b) => report.baselines[b.key]).map((b) => (
              <TableRow key={b.key} aria-label={`${b.label} figures`}>
                <TableCell component="th" scope="row" sx={cellSx} title={b.description}>
                  {b.label}
                </TableCell>
                {FIGURE_COLUMNS.map((c) => (
                  <BaselineCell key={c.key} figures={report.baselines[b.key]!} figure={c.key} isBest={bestBaseline(report, c.key)?.baseline === b.key} />
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="caption" color="text.secondary">
        ▲ beats / ▼ does not beat the best baseline (in bold). Sharpness and flicker: 1 = as the real footage.
        {report.identityRealReference !== null ? ` Identity of real frames 1 s apart: ${fmtFigure('identity', report.identityRealReference)}.` : ''}
      </Typography>

      <ControlTable report={report} />
      <EditsTable report={report} />

      {report.notes.length > 0 && (
        <Box component="ul" aria-label="Evaluation notes" sx={{ m: 0, pl: 2.5 }}>
          {report.notes.map((n, i) => (
            <Typography key={i} component="li" variant="caption">
              {n}
            </Typography>
          ))}
        </Box>
      )}
      <Typography variant="caption" aria-label="Evaluated checkpoint" sx={{ display: 'block' }}>
        {reportSummary(report)}
      </Typography>
    </Box>
  );
}

function NetworkCell({ report, figure }: { report: EvaluationReport; figure: FigureKey }) {
  const v = verdict(report, figure);
  const words = verdictText(report, figure);
  return (
    <TableCell align="right" sx={{ ...cellSx, color: VERDICT_COLOR[v] }} title={words} data-verdict={v} aria-label={`${fmtFigure(figure, figureValue(report.model, figure))}, ${words}`}>
      {fmtFigure(figure, figureValue(report.model, figure))}
      {VERDICT_MARK[v] && (
        <Box component="span" aria-hidden sx={{ ml: 0.5, fontSize: '0.7em' }}>
          {VERDICT_MARK[v]}
        </Box>
      )}
    </TableCell>
  );
}

function BaselineCell({ figures, figure, isBest }: { figures: ImageFigures; figure: FigureKey; isBest: boolean }) {
  return (
    <TableCell align="right" sx={{ ...cellSx, fontWeight: isBest ? 600 : undefined }} title={isBest ? 'best baseline' : undefined}>
      {fmtFigure(figure, figureValue(figures, figure))}
    </TableCell>
  );
}

/** Re-tracked output vs the parameters that conditioned it, beside the tracker's floor on real frames. */
function ControlTable({ report }: { report: EvaluationReport }) {
  const net = controlCells(report.control);
  const real = controlCells(report.controlRealReference);
  if (!net && !real) return null;
  const rows: Array<[string, ReturnType<typeof controlCells>]> = [
    [NETWORK_LABEL, net],
    ['real frames (tracker floor)', real],
  ];
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Typography variant="caption" component="h4" sx={{ fontWeight: 600, display: 'block' }}>
        Control (re-tracked vs requested, medians)
      </Typography>
      <Table size="small" aria-label="Control figures" sx={{ width: 'auto' }}>
        <TableHead>
          <TableRow>
            <TableCell sx={cellSx}>re-tracked</TableCell>
            <TableCell align="right" sx={cellSx} title="Angle of the relative head rotation (median, lower is better)">pose</TableCell>
            <TableCell align="right" sx={cellSx} title="Angle between gaze directions, both eyes (median, lower is better)">gaze</TableCell>
            <TableCell align="right" sx={cellSx} title="Eyes whose open/closed state agrees (higher is better)">blink</TableCell>
            <TableCell align="right" sx={cellSx} title="Mean distance of the projected meshes over the inter-ocular distance (lower is better)">landmarks IOD</TableCell>
            <TableCell align="right" sx={cellSx} title="Mean absolute difference of the expression coefficients (lower is better)">expression L1</TableCell>
            <TableCell align="right" sx={cellSx} title="Frames the tracker found a face in, of those re-tracked">frames</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(([name, c]) => (
            <TableRow key={name} aria-label={`${name} control`} selected={name === NETWORK_LABEL}>
              <TableCell component="th" scope="row" sx={cellSx}>
                {name}
              </TableCell>
              {c ? (
                <>
                  <TableCell align="right" sx={cellSx}>{c.pose}</TableCell>
                  <TableCell align="right" sx={cellSx}>{c.gaze}</TableCell>
                  <TableCell align="right" sx={cellSx}>{c.blink}</TableCell>
                  <TableCell align="right" sx={cellSx}>{c.landmarks}</TableCell>
                  <TableCell align="right" sx={cellSx}>{c.expression}</TableCell>
                  <TableCell align="right" sx={cellSx}>{c.frames}</TableCell>
                </>
              ) : (
                <TableCell colSpan={6} sx={cellSx}>
                  not measured
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Requested edits vs the change measured on the re-tracked output. */
function EditsTable({ report }: { report: EvaluationReport }) {
  if (!report.edits || report.edits.length === 0) return null;
  const drawing = editDrawingCells(report.edits);
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Typography variant="caption" component="h4" sx={{ fontWeight: 600, display: 'block' }}>
        Edits (measured change of the re-tracked output: median (min..max))
      </Typography>
      <Table size="small" aria-label="Edit figures" sx={{ width: 'auto' }}>
        <TableHead>
          <TableRow>
            <TableCell sx={cellSx}>edit</TableCell>
            <TableCell sx={cellSx}>quantity</TableCell>
            <TableCell align="right" sx={cellSx}>requested</TableCell>
            <TableCell align="right" sx={cellSx}>measured</TableCell>
            {drawing && (
              <TableCell align="right" sx={cellSx}>
                local textured model (no network)
              </TableCell>
            )}
            <TableCell align="right" sx={cellSx}>frames</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.edits.map((e, i) => (
            <TableRow key={e.id} aria-label={`Edit ${e.label}`}>
              <TableCell component="th" scope="row" sx={cellSx}>
                {e.label}
              </TableCell>
              <TableCell sx={cellSx}>
                {e.quantity} ({e.unit})
              </TableCell>
              <TableCell align="right" sx={cellSx}>
                {e.requested.toFixed(2)}
              </TableCell>
              <TableCell align="right" sx={cellSx}>
                {editMeasured(e)}
              </TableCell>
              {drawing && (
                <TableCell align="right" sx={cellSx}>
                  {drawing[i]}
                </TableCell>
              )}
              <TableCell align="right" sx={cellSx}>
                {e.frames - e.lost}/{e.frames}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
