// End-to-end tests: browser mode driven by playwright-core and Debian's Chromium (see test/e2e/).
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@shared': resolve(__dirname, 'electron/shared') } },
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Each file runs its own server and browser; two at a time keeps CI machines responsive.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
