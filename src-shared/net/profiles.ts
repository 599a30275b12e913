/**
 * The network profiles by name, declared once (issue 18), smallest first: the contract's enum,
 * the CLI's --profile, the training dashboard's choices and descriptions read this table; the
 * networks themselves (sizes, options) are src-main/net/model/profiles.ts, keyed by these names.
 */
export const PROFILE_INFO = {
  tiny: { description: '16 px, seconds per hundred steps: for tests and a quick look at the pipeline, not for results.', defaultSteps: 400 },
  cpu: { description: '128 px, narrow U-Net sized for a CPU-only machine (~0.3 s per step): an overnight run on a laptop.', defaultSteps: 20_000 },
  light: { description: '128 px, 7-level U-Net (13M parameters), batch 4: a good preview on a GPU.', defaultSteps: 20_000 },
  paper: { description: "256 px, the paper's 8-level U-Net and PatchGAN, batch 16, 31,000 steps: needs a GPU.", defaultSteps: 31_000 },
} as const satisfies Record<string, { description: string; defaultSteps: number }>;

export type ProfileName = keyof typeof PROFILE_INFO;
export const PROFILE_NAMES = Object.keys(PROFILE_INFO) as [ProfileName, ...ProfileName[]];

export function isProfileName(s: string | null | undefined): s is ProfileName {
  return !!s && (PROFILE_NAMES as readonly string[]).includes(s);
}
