import { defineConfig } from 'vitest/config';

/**
 * The full crash-and-resume suite (`npm run test:faults`): every crash point of
 * test/faults/*.faults.ts, one at a time. The default `vitest run` only runs the short sample in
 * test/faults/*.test.ts.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts', 'test/fuzz/**/*.faults.ts'],
    pool: 'forks',
    // Each crash point runs the CLI, PTYs and git: on two cores, one point at a time.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
