import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Integration tests spawn git, PTYs and the built CLI, and mostly wait on them: on two cores,
    // four workers take the suite from about 9.5 to about 4 minutes (measured).
    pool: 'forks',
    maxWorkers: 4,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
