/** Training stage: fixed steps over the whole dataset (profile cpu, 128 px, batch as the profile). */
export const TRAIN_STEPS = 20;
/** Render stage: the last frames of the clip. */
export const RENDER_FRAMES = 48;
