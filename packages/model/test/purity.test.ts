// The model runs in the browser, in Node and in workers: it may import nothing but itself and yjs, and
// touch no DOM, Node, socket or database API. Grep the sources so a stray import fails here, not in a
// browser bundle.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ name: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Strip comments so prose like "no DOM, no window" does not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function importSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]/g, /\brequire\s*\(\s*['"]([^'"]+)['"]/g];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

const FORBIDDEN_GLOBALS = [
  /\bdocument\s*\./,
  /\bwindow\s*\./,
  /\bnavigator\s*\./,
  /\blocalStorage\b/,
  /\bsessionStorage\b/,
  /\bprocess\s*\./,
  /\bBuffer\s*\./,
  /\b__dirname\b/,
  /\brequire\s*\(/,
  /\bnew\s+WebSocket\b/,
  /\bfetch\s*\(/,
];

describe('packages/model imports only itself and yjs', () => {
  it('finds the sources', () => {
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['index.ts', 'board-doc.ts', 'records/card.ts', 'protocol.ts']));
  });

  it.each(files.map((f) => [f.name, f] as const))('%s imports nothing forbidden', (_name, file) => {
    const outside = importSpecifiers(code(file.text)).filter((s) => !s.startsWith('./') && !s.startsWith('../') && s !== 'yjs');
    expect(outside).toEqual([]);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s touches no DOM, Node or network global', (_name, file) => {
    const text = code(file.text);
    expect(FORBIDDEN_GLOBALS.filter((pattern) => pattern.test(text)).map(String)).toEqual([]);
  });

  it('the checks catch what they are meant to catch', () => {
    const bad = "import fs from 'node:fs';\nimport { Server } from 'socket.io';\nexport * from 'ws';\nconst db = require('better-sqlite3');\nwindow.alert(1);";
    expect(importSpecifiers(code(bad))).toEqual(['node:fs', 'socket.io', 'ws', 'better-sqlite3']);
    expect(FORBIDDEN_GLOBALS.some((p) => p.test(code(bad)))).toBe(true);
    expect(importSpecifiers(code("// import x from 'fs'\nimport * as Y from 'yjs';"))).toEqual(['yjs']);
  });
});
