#!/usr/bin/env node
// One entry point for the README's commands. Needs only Node and npm: it fetches the pinned pnpm through
// npx, installs the workspace, and (for tests) Debian's Chromium when it is missing.
//   node scripts/redstring.mjs start   build the web app and start the server on one port
//   node scripts/redstring.mjs test    install, typecheck, build, run every test (vitest)
//   node scripts/redstring.mjs dev     start the server and the Vite dev server
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`\nredstring: "${command} ${args.join(' ')}" failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

const pnpm = (...args) => run('npx', ['-y', `pnpm@${pnpmVersion}`, ...args]);

function install() {
  pnpm('install', '--frozen-lockfile', '--reporter=append-only');
}

function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`redstring: browser tests need Chromium at ${chromiumPath}. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log('redstring: installing Debian Chromium for the browser tests…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Runs vitest over every project and ends the output with one plain "N passed, N failed" line. */
function runTests(extraArgs) {
  const reportDir = mkdtempSync(join(tmpdir(), 'redstring-test-'));
  const reportFile = join(reportDir, 'vitest.json');
  const result = spawnSync(
    'npx',
    ['-y', `pnpm@${pnpmVersion}`, 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extraArgs],
    { cwd: root, stdio: 'inherit' },
  );
  let summary = 'Tests: no report written (vitest did not finish)';
  if (existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    summary = `Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`;
  }
  rmSync(reportDir, { recursive: true, force: true });
  console.log(`\n${summary}`);
  process.exit(result.status ?? 1);
}

function buildWeb() {
  pnpm('--filter', '@redstring/web', 'build');
}

const [command = 'start', ...rest] = process.argv.slice(2);
switch (command) {
  case 'start': {
    install();
    buildWeb();
    const server = spawn('npx', ['-y', `pnpm@${pnpmVersion}`, '--filter', '@redstring/sync-server', 'start'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
    server.on('exit', (code) => process.exit(code ?? 0));
    break;
  }
  case 'test': {
    install();
    ensureChromium();
    pnpm('-r', '--if-present', 'typecheck');
    buildWeb();
    runTests(rest);
    break;
  }
  case 'dev': {
    install();
    pnpm('--parallel', '--filter', '@redstring/sync-server', '--filter', '@redstring/web', 'dev');
    break;
  }
  default:
    console.error(`redstring: unknown command "${command}". Use start, test or dev.`);
    process.exit(2);
}
