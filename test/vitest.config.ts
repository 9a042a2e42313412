import { defineConfig } from 'vitest/config';

// Cross-package tests. Browser end-to-end tests share one machine's CPU with a real server and Chromium,
// so files run one after another and get generous timeouts.
export default defineConfig({
  test: {
    name: 'test',
    globalSetup: ['./global-setup.ts'],
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/**', '.scratch/**'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
