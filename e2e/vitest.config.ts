import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    // one built server for the whole run (global setup); the journeys run one file at a time
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    // tests marked concurrent (the tours of every page) run this many at a time within their file
    maxConcurrency: 4,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
