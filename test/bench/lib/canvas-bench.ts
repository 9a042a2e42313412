// S7 is the web engineer's browser benchmark (apps/web/bench/canvas-bench.ts). The runner calls it when
// it exists, in its own process. It takes the numeric fields of the last JSON line it prints, or else
// reads the figures from its text report (frame-time table, worst p95, first paint).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnTs, tail } from './spawn-pinned';
import { REPO_ROOT } from './paths';
import type { S7Result } from './report';

export const CANVAS_BENCH = join(REPO_ROOT, 'apps/web/bench/canvas-bench.ts');

function numericFields(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === 'number' && Number.isFinite(value)) out[prefix || 'value'] = Math.round(value * 100) / 100;
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) numericFields(v, prefix ? `${prefix}.${key}` : key, out);
  }
  return out;
}

/** Figures from the canvas bench's text report. */
export function parseCanvasReport(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith('scenario ')) {
      inTable = true;
      continue;
    }
    const worst = /worst p95 frame interval ([\d.]+) ms, worst p95 board draw ([\d.]+) ms/.exec(line);
    if (worst) {
      out['worst p95 frame interval (ms)'] = Number(worst[1]);
      out['worst p95 board draw (ms)'] = Number(worst[2]);
      inTable = false;
    }
    const paint = /^([\d,]+)-card board on screen: median (\d+) ms/.exec(line);
    if (paint) out[`${paint[1]}-card board opened → on screen, median (ms)`] = Number(paint[2]);
    const row = inTable ? /^(.+?)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/.exec(line) : null;
    if (row) {
      out[`${row[1]!.trim()}: frame interval p95 (ms)`] = Number(row[4]);
      out[`${row[1]!.trim()}: board draw p95 (ms)`] = Number(row[6]);
    }
  }
  return out;
}

export async function runCanvasBench(quick: boolean, timeoutMs: number): Promise<S7Result> {
  if (!existsSync(CANVAS_BENCH)) return { available: false, note: 'not available (apps/web/bench/canvas-bench.ts is missing)' };
  const child = spawnTs(CANVAS_BENCH, quick ? ['--quick'] : [], { core: null });
  const errors = tail(child.stderr);
  let lastJson: unknown = null;
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    const text = line.trim();
    if (!text.startsWith('{')) return;
    try {
      lastJson = JSON.parse(text);
    } catch {
      // not JSON
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const metrics = lastJson !== null ? numericFields(lastJson) : parseCanvasReport(lines);
  if (code !== 0 || Object.keys(metrics).length === 0) {
    const why = errors().trim().split('\n').slice(-3).join(' ') || lines.slice(-3).join(' ');
    return { available: false, note: `canvas bench failed (exit ${code}): ${why.slice(0, 200)}` };
  }
  return { available: true, note: 'apps/web/bench/canvas-bench.ts', metrics };
}
