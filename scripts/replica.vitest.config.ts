import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

// scripts/replica.sh: the API suite plus the check that needs a real primary and standby
export default mergeConfig(base, defineConfig({
  test: { include: ['server/**/*.test.ts', 'server/src/platform/replica-pair.check.ts'] },
}));
