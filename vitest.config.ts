import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'contracts/**/*.test.ts'],
    // each API test file starts its own server on its own fresh database
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // a worker runs its files one after another in one process: the server's modules are imported once per
    // worker, not once per file (each file still gets its own server on its own fresh database)
    isolate: false,
  },
});
