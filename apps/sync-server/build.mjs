// Compiles the server to plain JavaScript in dist/: `npm start`, the end-to-end tests and the benchmarks
// run this bundle, so production starts without a TypeScript loader (no compiling at start, less memory).
// npm packages stay external (better-sqlite3 is native; one yjs instance); @redstring/model is bundled.
// The writer thread is its own entry: writer-client.ts starts `./writer-thread.mjs` next to itself, which
// among the sources is a bootstrap that loads the TypeScript through tsx, and in dist/ is this compiled file.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(fileURLToPath(import.meta.url));
const { dependencies } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const npmPackages = Object.keys(dependencies).filter((name) => !name.startsWith('@redstring/'));

export const SERVER_BUNDLE = join(packageDir, 'dist', 'main.mjs');
/**
 * How Node runs the server (package.json's start script passes the same; test/build.test.ts checks it):
 * stack traces that point into the TypeScript sources, and a young generation capped at 8 MB per
 * semi-space. V8 grows it to 16 MB under load and never gives it back; capped, an idle server that
 * served 500 boards holds ~15 MB less (S3), at no cost measured in S1 (CPU 0.95x stock) or S2 (700
 * clients at 93 % of a core against 100 %).
 */
export const SERVER_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=8'];
/** The whole command line after `node`. */
export const SERVER_NODE_ARGS = [...SERVER_NODE_FLAGS, SERVER_BUNDLE];

/** Writes dist/main.mjs and dist/writer-thread.mjs (with source maps). */
export async function buildServer() {
  const result = await build({
    entryPoints: {
      main: join(packageDir, 'src/main.ts'),
      'writer-thread': join(packageDir, 'src/storage/sqlite/writer-thread.ts'),
    },
    outdir: dirname(SERVER_BUNDLE),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: npmPackages.flatMap((name) => [name, `${name}/*`]),
    logLevel: 'warning',
    write: false,
  });
  // Test projects build at the same time as each other and as servers start: each file is replaced by a
  // rename, so nobody ever reads a half-written bundle.
  mkdirSync(dirname(SERVER_BUNDLE), { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
