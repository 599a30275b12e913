import { describe, expect, it } from 'vitest';
import { BACKEND_ORDER, selectBackend } from './select.js';

describe('selectBackend', () => {
  it('walks the order, reports each miss with a reason, and lands on a backend that trains', async () => {
    const c = await selectBackend({ forTraining: true });
    expect(BACKEND_ORDER).toContain(c.name);
    const last = c.tried[c.tried.length - 1]!;
    expect(last).toMatchObject({ name: c.name, ok: true });
    expect(c.tried.map((t) => t.name)).toEqual(BACKEND_ORDER.slice(0, c.tried.length));
    for (const t of c.tried.slice(0, -1)) {
      expect(t.ok).toBe(false);
      expect(t.reason.length).toBeGreaterThan(0);
    }
    expect(c.reason.length).toBeGreaterThan(0);
  });

  it('honours a preference', async () => {
    const c = await selectBackend({ prefer: 'cpu', forTraining: false });
    expect(c.name).toBe('cpu');
    expect(c.tried).toEqual([{ name: 'cpu', ok: true, reason: 'loaded' }]);
  });
});
