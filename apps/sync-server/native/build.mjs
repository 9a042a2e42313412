// Compiles malloc_trim.c at install time (pnpm runs this as the sync-server's install script). Optional:
// without a C compiler the server still runs, only without handing freed C-heap pages back (see
// src/malloc-trim.ts), so a failed build is reported and does not fail the install.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
// npm and pnpm point their scripts at the node-gyp they ship (and pass .npmrc's nodedir along).
const bundledGyp = process.env.npm_config_node_gyp;
const [command, args] = bundledGyp ? [process.execPath, [bundledGyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const result = spawnSync(command, args, { cwd: nativeDir, encoding: 'utf8', shell: false });
if (result.status !== 0) {
  const why = result.error ? result.error.message : (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
  console.warn(
    `Redstring: the optional malloc_trim helper did not build, so the sync server will run without it\n` +
      `(it then keeps more memory after many boards unload). node-gyp said:\n${why}`,
  );
}
