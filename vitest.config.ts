import { defineConfig } from 'vitest/config';

// One run over every package, so the suite ends with a single summary line.
export default defineConfig({
  test: {
    projects: ['packages/model', 'apps/sync-server', 'apps/web', 'test'],
  },
});
