import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@shared': resolve(__dirname, 'electron/shared') } },
  test: {
    include: ['electron/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
