import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development the sync server runs on :3000; proxy its paths so the browser still sees one origin.
const syncServer = process.env.REDSTRING_SYNC_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': { target: syncServer, changeOrigin: false },
      '/healthz': { target: syncServer },
      '/ws': { target: syncServer, ws: true },
      '/socket.io': { target: syncServer, ws: true },
    },
  },
});
