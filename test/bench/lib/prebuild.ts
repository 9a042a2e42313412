// The benchmark starts a dozen load generators and baseline servers; under tsx each spends about half a
// second compiling TypeScript before it does anything. They are bundled once per run with esbuild (what
// tsx uses underneath) into test/bench/.build, next to lib/, so BENCH_DIR still resolves the same.
// npm packages stay external (one yjs instance, native modules as they are); workspace code is bundled.
// Redstring's own server is built by its package (apps/sync-server/build.mjs), as `npm start` builds it.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BENCH_DIR } from './paths';

const OUT_DIR = join(BENCH_DIR, '.build');
const NPM_PACKAGES = ['ws', 'yjs', 'lib0', 'y-protocols', 'y-websocket', '@y/websocket-server', 'socket.io-client', 'playwright-core', 'better-sqlite3'];

/** Bundles each entry into OUT_DIR and returns entry → bundle path. */
export async function prebuild(entries: string[]): Promise<Map<string, string>> {
  mkdirSync(OUT_DIR, { recursive: true });
  const bundles = new Map<string, string>();
  await Promise.all(
    entries.map(async (entry) => {
      const outfile = join(OUT_DIR, `${basename(entry, '.ts')}.mjs`);
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external: NPM_PACKAGES.flatMap((name) => [name, `${name}/*`]),
        logLevel: 'warning',
      });
      bundles.set(entry, outfile);
    }),
  );
  return bundles;
}
