import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    // Tests wait on events, never on time: the timeout only catches a hang. This machine
    // class runs the same suites 3x slower on some sessions' CPUs and under load, so the
    // limit is far above any measured test (the slowest took 60 s on a busy Xeon).
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Two cores here: heavy suites (tfjs, ffmpeg) must not all run at once.
    maxWorkers: 2,
  },
});
