// The compiled server is what npm start, the end-to-end tests and the benchmarks run.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_BUNDLE, SERVER_NODE_FLAGS } from '../build.mjs';

describe('the compiled server', () => {
  it('has its writer thread next to it, where writer-client starts it, and no TypeScript loader in either', () => {
    const writerThread = join(dirname(SERVER_BUNDLE), 'writer-thread.mjs');
    expect(existsSync(SERVER_BUNDLE)).toBe(true);
    expect(existsSync(writerThread)).toBe(true);
    for (const file of [SERVER_BUNDLE, writerThread]) expect(readFileSync(file, 'utf8')).not.toMatch(/from ['"]tsx/);
  });

  it('starts with the same Node flags from the start script as in tests and benchmarks', () => {
    const packageJson = JSON.parse(readFileSync(join(dirname(SERVER_BUNDLE), '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
    const flags = [...SERVER_NODE_FLAGS];
    expect(flags.length).toBeGreaterThan(0);
    const started = packageJson.scripts.start.split('&&').at(-1)!.trim().split(/\s+/);
    expect(started.slice(started.indexOf('node') + 1, -1)).toEqual(flags);
    expect(started.at(-1)).toBe('dist/main.mjs');
  });
});
