import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The sync server mounts build/handler.js, so the UI, API, WebSocket and socket.io share one origin.
    adapter: adapter({ out: 'build' }),
    typescript: {
      // Typecheck the benchmark and the unit-test config along with the app.
      config: (tsconfig) => {
        tsconfig.include.push('../bench/**/*.ts', '../vitest.config.ts');
        return tsconfig;
      },
    },
  },
};

export default config;
