/**
 * LinearProgress props for a job's progress: indeterminate until the first unit is done (a
 * bar stuck at 0% while a model loads reads as a hang), then the fraction done.
 */
export function progressBar(p: { done: number; total: number } | null | undefined): { variant: 'determinate' | 'indeterminate'; value: number } {
  if (!p || !(p.total > 0) || !(p.done > 0)) return { variant: 'indeterminate', value: 0 };
  return { variant: 'determinate', value: Math.min(100, (100 * p.done) / p.total) };
}
