// Canvas performance benchmark (not a test): real server, built web app, headless Debian Chromium.
//   pnpm --filter @redstring/web bench          (needs apps/web/build: pnpm --filter @redstring/web build)
// Measures, on a board of 2,000 cards + 2,000 links, the frame time of panning and zooming at three zoom
// levels (requestAnimationFrame deltas, and the board layer's own draw time), and the time until a
// 5,000-card board is on screen after opening it. Boards are bulk-loaded through the app's test hook
// (window.__redstring), in batches so no single update exceeds the server's frame limit.
import type { Page } from '../../../test/helpers/chromium';
import { launchChromium, newUserContext } from '../../../test/helpers/chromium';
import { startServer } from '../../../test/helpers/server';

const TARGET_FRAME_MS = 16.7;
const TARGET_FIRST_PAINT_MS = 1500;

interface Hook {
  boardDoc: {
    transact(fn: () => void): void;
    createCard(input: Record<string, unknown>): string;
    link(from: string, to: string, relation: string): string;
  };
  connection: { loaded: boolean; saveState: string };
  canvas: {
    getViewport(): { x: number; y: number; scale: number };
    setViewport(v: { x: number; y: number; scale: number }): void;
    zoomToFit(): void;
    zoomTo(scale: number): void;
    drawNow(): void;
  };
  stats(): { visibleCards: number; lastDrawMs: number; draws: number; cards: number; firstCardsDrawAt: number | null };
}
type HookWindow = Window & { __redstring: Hook };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function createSession(baseUrl: string, name: string): Promise<{ sessionToken: string; user: unknown }> {
  const res = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, color: '#0090ff' }) });
  if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
  return (await res.json()) as { sessionToken: string; user: unknown };
}

async function createBoard(baseUrl: string, sessionToken: string, title: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': sessionToken }, body: JSON.stringify({ title }) });
  if (!res.ok) throw new Error(`board: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { editorLink: string }).editorLink;
}

async function waitLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as HookWindow).__redstring?.connection.loaded === true, undefined, { timeout: 60_000 });
}

/** Lays cards out on a grid (with some variety of kinds and text) and links each to a neighbour. */
async function bulkLoad(page: Page, cards: number, links: number): Promise<void> {
  await page.evaluate(
    async ({ cards, links }) => {
      const hook = (window as unknown as HookWindow).__redstring;
      const kinds = ['theory', 'hypothesis', 'evidence', 'action', 'question', 'note'];
      const columns = Math.ceil(Math.sqrt(cards * 1.5));
      const ids: string[] = [];
      const batch = 250;
      for (let start = 0; start < cards; start += batch) {
        hook.boardDoc.transact(() => {
          for (let i = start; i < Math.min(cards, start + batch); i++) {
            const kind = kinds[i % kinds.length]!;
            ids.push(
              hook.boardDoc.createCard({
                kind,
                title: `${kind} ${i}: latency on checkout-${i % 17} after deploy ${8800 + (i % 40)}`,
                body: i % 3 === 0 ? 'p99 went from 300 ms to 4 s; cache hit rate dropped to 40% at the same minute.' : '',
                x: (i % columns) * 300,
                y: Math.floor(i / columns) * 200,
                ...(kind === 'evidence' ? { source: { kind: 'query', value: `sum(rate(http_errors{svc="checkout-${i}"}[5m]))` }, observedAt: 1_700_000_000_000 + i * 1000 } : {}),
              }),
            );
          }
        });
        await new Promise((r) => setTimeout(r, 0));
      }
      const relations = ['supports', 'refutes', 'leads-to', 'triggers', 'mitigates'];
      for (let start = 0; start < links; start += batch) {
        hook.boardDoc.transact(() => {
          for (let i = start; i < Math.min(links, start + batch); i++) {
            const from = ids[i % ids.length]!;
            const to = ids[(i + 1 + (i % 3) * columns) % ids.length]!;
            if (from !== to) hook.boardDoc.link(from, to, relations[i % relations.length]!);
          }
        });
        await new Promise((r) => setTimeout(r, 0));
      }
    },
    { cards, links },
  );
  // Wait for the server to confirm everything (the 5,000-card board is reopened from the server).
  await page.waitForFunction(() => (window as unknown as HookWindow).__redstring.connection.saveState === 'saved', undefined, { timeout: 120_000 });
}

interface FrameRun {
  label: string;
  visibleCards: number;
  rafP50: number;
  rafP95: number;
  drawP50: number;
  drawP95: number;
  frames: number;
}

/** Pans (or zooms) once per animation frame for `frames` frames; records rAF deltas and draw times. */
async function measureFrames(page: Page, label: string, mode: 'pan' | 'zoom', frames: number): Promise<FrameRun> {
  const result = await page.evaluate(
    async ({ mode, frames }) => {
      const hook = (window as unknown as HookWindow).__redstring;
      const deltas: number[] = [];
      const draws: number[] = [];
      const visible: number[] = [];
      const start = hook.canvas.getViewport();
      let last = performance.now();
      await new Promise<void>((resolve) => {
        let i = 0;
        const step = (now: number) => {
          if (i > 0) {
            deltas.push(now - last);
            const s = hook.stats();
            draws.push(s.lastDrawMs);
            visible.push(s.visibleCards);
          }
          last = now;
          if (i++ >= frames) return resolve();
          const v = hook.canvas.getViewport();
          if (mode === 'pan') {
            const angle = (i / 60) * Math.PI;
            hook.canvas.setViewport({ ...v, x: v.x + Math.cos(angle) * 12, y: v.y + Math.sin(angle) * 8 });
          } else {
            // Zoom in and out around the screen centre (as wheel/pinch does around the cursor).
            const factor = Math.sin((i / frames) * Math.PI * 4) > 0 ? 1.02 : 1 / 1.02;
            const cx = window.innerWidth / 2;
            const cy = window.innerHeight / 2;
            const scale = v.scale * factor;
            hook.canvas.setViewport({ scale, x: cx - ((cx - v.x) / v.scale) * scale, y: cy - ((cy - v.y) / v.scale) * scale });
          }
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      });
      hook.canvas.setViewport(start);
      return { deltas, draws, visible };
    },
    { mode, frames },
  );
  return {
    label,
    frames,
    visibleCards: Math.round(result.visible.reduce((a, b) => a + b, 0) / Math.max(1, result.visible.length)),
    rafP50: percentile(result.deltas, 50),
    rafP95: percentile(result.deltas, 95),
    drawP50: percentile(result.draws, 50),
    drawP95: percentile(result.draws, 95),
  };
}

async function main(): Promise<void> {
  const server = await startServer({ env: { REDSTRING_LOG_LEVEL: 'warn' } });
  const browser = await launchChromium();
  try {
    const { sessionToken, user } = await createSession(server.url, 'Bench');
    const context = await newUserContext(browser, { baseURL: server.url, viewport: { width: 1600, height: 1000 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it too.
    await context.addInitScript(() => ((globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f));
    await context.addInitScript(
      ([token, u]) => localStorage.setItem('redstring.identity.v1', JSON.stringify({ sessionToken: token, user: u })),
      [sessionToken, user] as const,
    );

    // --- 2,000 cards + 2,000 links: pan and zoom frame times --------------------------------------
    const page = await context.newPage();
    await page.goto(await createBoard(server.url, sessionToken, 'Bench 2k'));
    await waitLoaded(page);
    const loadStarted = Date.now();
    await bulkLoad(page, 2000, 2000);
    console.log(`loaded 2,000 cards + 2,000 links and confirmed saved in ${Date.now() - loadStarted} ms`);

    const runs: FrameRun[] = [];
    await page.evaluate(() => (window as unknown as HookWindow).__redstring.canvas.zoomToFit());
    runs.push(await measureFrames(page, 'pan, whole board in view (zoom to fit)', 'pan', 240));
    runs.push(await measureFrames(page, 'zoom in/out from whole board', 'zoom', 240));
    await page.evaluate(() => (window as unknown as HookWindow).__redstring.canvas.zoomTo(0.5));
    runs.push(await measureFrames(page, 'pan at 50 %', 'pan', 240));
    await page.evaluate(() => (window as unknown as HookWindow).__redstring.canvas.zoomTo(1));
    runs.push(await measureFrames(page, 'pan at 100 %', 'pan', 240));
    runs.push(await measureFrames(page, 'zoom in/out from 100 %', 'zoom', 240));
    await page.close();

    // --- 5,000 cards: time until on screen after opening ----------------------------------------
    const loader = await context.newPage();
    const bigLink = await createBoard(server.url, sessionToken, 'Bench 5k');
    await loader.goto(bigLink);
    await waitLoaded(loader);
    await bulkLoad(loader, 5000, 0);
    await loader.close();
    const firstPaints: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const viewer = await context.newPage();
      await viewer.goto(bigLink);
      await viewer.waitForFunction(
        () => {
          const hook = (window as unknown as HookWindow).__redstring;
          return !!hook && hook.stats().cards >= 5000 && hook.stats().firstCardsDrawAt !== null;
        },
        undefined,
        { timeout: 60_000, polling: 20 },
      );
      // performance.now() counts from navigation start, so this is "opened → cards on screen".
      const firstPaint = await viewer.evaluate(() => {
        const hook = (window as unknown as HookWindow).__redstring;
        return { at: hook.stats().firstCardsDrawAt!, visible: hook.stats().visibleCards };
      });
      firstPaints.push(firstPaint.at);
      console.log(`5,000-card board opened → ${firstPaint.visible} cards on screen in ${firstPaint.at.toFixed(0)} ms`);
      await viewer.close();
    }

    console.log('\nCanvas frame times, 2,000 cards + 2,000 links (ms; target p95 ≤ 16.7)');
    console.log('scenario'.padEnd(42), 'visible', 'rAF p50', 'rAF p95', 'draw p50', 'draw p95');
    for (const r of runs) {
      console.log(
        r.label.padEnd(42),
        String(r.visibleCards).padStart(7),
        r.rafP50.toFixed(1).padStart(7),
        r.rafP95.toFixed(1).padStart(7),
        r.drawP50.toFixed(2).padStart(8),
        r.drawP95.toFixed(2).padStart(8),
      );
    }
    const worstRaf = Math.max(...runs.map((r) => r.rafP95));
    const worstDraw = Math.max(...runs.map((r) => r.drawP95));
    const medianFirstPaint = percentile(firstPaints, 50);
    console.log(`\nworst p95 frame interval ${worstRaf.toFixed(1)} ms, worst p95 board draw ${worstDraw.toFixed(2)} ms (target ${TARGET_FRAME_MS})`);
    console.log(`5,000-card board on screen: median ${medianFirstPaint.toFixed(0)} ms of 3 opens (target ${TARGET_FIRST_PAINT_MS})`);
    console.log(worstRaf <= TARGET_FRAME_MS + 0.5 && medianFirstPaint <= TARGET_FIRST_PAINT_MS ? 'within targets' : 'OUTSIDE TARGETS');
  } finally {
    await browser.close();
    await server.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
