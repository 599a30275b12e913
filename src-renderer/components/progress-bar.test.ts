import { describe, expect, it } from 'vitest';
import { progressBar } from './progress-bar.js';

describe('progressBar', () => {
  it('is indeterminate until the first unit is done (issue 16, item 12), then shows the fraction', () => {
    expect(progressBar(null)).toEqual({ variant: 'indeterminate', value: 0 });
    expect(progressBar({ done: 0, total: 100 })).toEqual({ variant: 'indeterminate', value: 0 });
    expect(progressBar({ done: 5, total: 0 })).toEqual({ variant: 'indeterminate', value: 0 });
    expect(progressBar({ done: 25, total: 100 })).toEqual({ variant: 'determinate', value: 25 });
    expect(progressBar({ done: 120, total: 100 }).value).toBe(100);
  });
});
