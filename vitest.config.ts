import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Integration tests spawn git, PTYs and the built CLI; two cores share them.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
