/** The inspector's tabs, in order; the workspace, its tests and the e2e helpers read this table. */
export const INSPECTOR_TABS = [
  { id: 'media', label: 'Media', hint: 'Target and source videos, tracking' },
  { id: 'key', label: 'Key', hint: 'The selected key, the keys and holds of the shown channels' },
  { id: 'transfer', label: 'Transfer', hint: "Drive the target with the source actor's performance" },
  { id: 'training', label: 'Training', hint: 'Train the actor, snapshots, quality' },
  { id: 'render', label: 'Render', hint: 'The final cut' },
] as const;

export type InspectorTab = (typeof INSPECTOR_TABS)[number]['id'];

export function isInspectorTab(v: unknown): v is InspectorTab {
  return INSPECTOR_TABS.some((t) => t.id === v);
}

/**
 * The tab a project opens on: Media until the target is imported and tracked (nothing else
 * works before), then the tab the user last had open, else the key inspector.
 */
export function initialInspectorTab(stored: unknown, targetTracked: boolean): InspectorTab {
  if (!targetTracked) return 'media';
  return isInspectorTab(stored) ? stored : 'key';
}
