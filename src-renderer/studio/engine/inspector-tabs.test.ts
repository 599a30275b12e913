import { describe, expect, it } from 'vitest';
import { initialInspectorTab, INSPECTOR_TABS, isInspectorTab } from './inspector-tabs.js';

describe('inspector tabs', () => {
  it('opens on Media until the target is tracked, whatever was stored', () => {
    expect(initialInspectorTab('render', false)).toBe('media');
    expect(initialInspectorTab(null, false)).toBe('media');
  });
  it('then returns to the stored tab, or the key inspector when the stored value is unknown', () => {
    expect(initialInspectorTab('render', true)).toBe('render');
    expect(initialInspectorTab('timeline', true)).toBe('key');
    expect(initialInspectorTab(undefined, true)).toBe('key');
  });
  it('has unique ids and labels', () => {
    expect(new Set(INSPECTOR_TABS.map((t) => t.id)).size).toBe(INSPECTOR_TABS.length);
    expect(new Set(INSPECTOR_TABS.map((t) => t.label)).size).toBe(INSPECTOR_TABS.length);
    expect(isInspectorTab('key')).toBe(true);
    expect(isInspectorTab(3)).toBe(false);
  });
});
