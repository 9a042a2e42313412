import { defineConfig } from 'vitest/config';

// Unit tests of the pure $lib logic. Plain vitest (no SvelteKit plugin): these modules import no Svelte.
export default defineConfig({
  resolve: {
    alias: { $lib: new URL('./src/lib', import.meta.url).pathname },
  },
  test: {
    name: 'web',
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
