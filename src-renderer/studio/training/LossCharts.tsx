import { useMemo } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrainingMetrics } from '../../../src-shared/ipc/contract.js';
import { chartRows, validationPoints, type MissingSpan } from '../engine/training-series.js';
import { EmptyState } from '../viewer/Panel.js';

const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '—');

/**
 * G / D / L1 losses and held-out PSNR / SSIM over steps (recharts, no animation: live data).
 * Steps the dashboard never received are a break in the lines, not a straight segment.
 */
export function LossCharts({ series, missing = [] }: { series: readonly TrainingMetrics[]; missing?: readonly MissingSpan[] }) {
  const losses = useMemo(() => chartRows(series, missing, 400), [series, missing]);
  const val = useMemo(() => chartRows(validationPoints(series), missing, 400), [series, missing]);
  const valCount = val.filter((r) => r.psnr !== undefined || r.ssim !== undefined).length;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { md: '3fr 2fr' }, gap: 1 }}>
      <Box role="img" aria-label={`Loss chart: ${series.length} points${missing.length ? `, ${missing.length} gap${missing.length > 1 ? 's' : ''}` : ''}`} data-points={series.length} data-gaps={missing.length}>
        <Typography variant="caption" component="h4" sx={{ fontWeight: 600 }}>
          Losses (generator, discriminator, L1; log scale)
        </Typography>
        {series.length === 0 ? (
          <EmptyState>No training steps yet: losses appear here as soon as training runs.</EmptyState>
        ) : (
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={losses} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} />
              {/* Log scale: G (adversarial + 100 x L1) is two orders above D and L1. */}
              <YAxis scale="log" domain={['auto', 'auto']} allowDataOverflow tick={{ fontSize: 11 }} width={44} tickFormatter={(v: number) => (v >= 1 ? v.toFixed(0) : v.toPrecision(1))} />
              <Tooltip formatter={fmt} labelFormatter={(s) => `step ${String(s)}`} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              <Line type="monotone" dataKey="lossG" name="G" stroke="#1976d2" dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="lossD" name="D" stroke="#d32f2f" dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="lossL1" name="L1" stroke="#388e3c" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </Box>
      <Box role="img" aria-label={`Validation chart: ${valCount} points`} data-points={valCount}>
        <Typography variant="caption" component="h4" sx={{ fontWeight: 600 }}>
          Held-out validation (PSNR dB, SSIM)
        </Typography>
        {valCount === 0 ? (
          <EmptyState>No validation yet: PSNR and SSIM on held-out frames are measured every few hundred steps.</EmptyState>
        ) : (
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={val} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.4} />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} />
              <YAxis yAxisId="psnr" tick={{ fontSize: 11 }} width={36} />
              <YAxis yAxisId="ssim" orientation="right" domain={[0, 1]} tick={{ fontSize: 11 }} width={32} />
              <Tooltip formatter={fmt} labelFormatter={(s) => `step ${String(s)}`} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              <Line yAxisId="psnr" type="monotone" dataKey="psnr" name="PSNR" stroke="#7b1fa2" isAnimationActive={false} />
              <Line yAxisId="ssim" type="monotone" dataKey="ssim" name="SSIM" stroke="#f57c00" isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </Box>
    </Box>
  );
}
