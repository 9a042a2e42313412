// Canvas performance benchmark (not a test): real server, built web app, headless Debian Chromium.
//   pnpm --filter @redstring/web bench [--quick] [--profile]   (needs the build: pnpm --filter @redstring/web build)
// Measures (issue 4's performance note and issue 5's S7):
//   1. a 2,000-card + 2,000-link board: frame intervals while panning and zooming at three zoom levels;
//   2. boards of 1,000, 5,000 and 10,000 cards (as many links): frame intervals while panning with the whole
//      board in view and at 100 %;
//   3. the time from opening the 5,000-card board to its cards on screen: first visit (a fresh browser
//      profile: everything from the server), and reopening it where this browser keeps a copy;
//   4. remote move → paint: a second responder moves a card; the time until this page painted it;
//   5. the 5,000-card board's timeline page: opened → its first rows listed, and another responder's edit
//      → the page counting it (the timeline is rebuilt on every change).
// Prints a table, then one JSON line with the figures (the last line; test/bench reads it).
// --quick: shorter runs, no 10,000-card board, no pan of the 1,000-card board. --profile: a Chromium trace
// and JS profile of the 2,000-card pan and zoom (where each frame's time goes). --web-build <dir>: serve
// another build of the app (to compare before/after a change; a build without the draw hook skips remote
// move → paint).
import { loadavg, cpus } from 'node:os';
import type { BrowserContext, Page } from '../../../test/helpers/chromium';
import { launchChromium, newUserContext } from '../../../test/helpers/chromium';
import { startServer } from '../../../test/helpers/server';
import { bulkLoad, createBoard, createSession, waitLoaded, type BenchIdentity } from './lib/board-loader';
import { measureFrames, sampleFrames, type FrameRun } from './lib/frames';
import type { HookWindow } from './lib/hook';
import { printProfile, profileFrames } from './lib/profile';
import { measureRemoteMoves, watchPaints } from './lib/remote-move';
import { measureTimelinePage, STREAM_MS, type TimelinePageTimes } from './lib/timeline-page';
import { percentile, round } from './lib/stats';

const TARGET_FRAME_MS = 16.7;
const TARGET_FIRST_PAINT_MS = 1500;

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const FRAMES = quick ? 60 : 240;
const SIZES = quick ? [1000, 5000] : [1000, 5000, 10000];
const OPENS = quick ? 1 : 3;
const MOVES = quick ? 8 : 30;
const EDITS = quick ? 1 : 7;
const webBuildArg = process.argv.indexOf('--web-build');
const webBuild = webBuildArg > 0 ? process.argv[webBuildArg + 1] : undefined;

async function userContext(browser: Awaited<ReturnType<typeof launchChromium>>, baseURL: string, identity: BenchIdentity): Promise<BrowserContext> {
  const context = await newUserContext(browser, { baseURL, viewport: { width: 1600, height: 1000 } });
  // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it too.
  await context.addInitScript(() => ((globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f));
  await context.addInitScript(
    ([token, u]) => localStorage.setItem('redstring.identity.v1', JSON.stringify({ sessionToken: token, user: u })),
    [identity.sessionToken, identity.user] as const,
  );
  return context;
}

async function view(page: Page, how: 'fit' | number): Promise<void> {
  await page.evaluate((how) => {
    const canvas = (window as unknown as HookWindow).__redstring.canvas;
    if (how === 'fit') canvas.zoomToFit();
    else canvas.zoomTo(how);
  }, how);
  // Let the view settle (full-quality drawing, far picture) before measuring.
  await page.waitForTimeout(600);
}

/** Opens the board in a new page and returns the time from navigation start to its cards on screen. */
async function timeToCards(context: BrowserContext, link: string, cards: number, label: string): Promise<number> {
  const viewer = await context.newPage();
  await viewer.goto(link);
  await viewer.waitForFunction(
    (n) => {
      const hook = (window as unknown as HookWindow).__redstring;
      return !!hook && hook.stats().cards >= n && hook.stats().firstCardsDrawAt !== null;
    },
    cards,
    { timeout: 60_000, polling: 20 },
  );
  // performance.now() counts from navigation start, so this is "opened → cards on screen".
  const first = await viewer.evaluate(() => {
    const s = (window as unknown as HookWindow).__redstring.stats();
    return { at: s.firstCardsDrawAt!, visible: s.visibleCards };
  });
  console.log(`${cards.toLocaleString('en')}-card board, ${label} → ${first.visible} cards on screen in ${first.at.toFixed(0)} ms`);
  await viewer.close();
  return first.at;
}

async function openBoard(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(link);
  await waitLoaded(page);
  return page;
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

function frameRow(r: FrameRun): string {
  return [
    r.label.padEnd(46),
    String(r.visibleCards).padStart(7),
    fmt(r.rafP50).padStart(7),
    fmt(r.rafP95).padStart(7),
    fmt(r.drawP50, 2).padStart(8),
    fmt(r.drawP95, 2).padStart(8),
    `${Math.round(r.fullDrawShare * 100)}%`.padStart(6),
  ].join(' ');
}

interface RemoteMoves {
  /** Another responder's move → painted here, with the card at 100 % and with the whole board in view. */
  at100: number[];
  whole: number[];
  /** Which board ("2k", "1k"), for the labels. */
  board: string;
}

/** Bo moves one card MOVES times on `sender`; `observer` (Ana, the board already open) times each paint. */
async function measureRemoteMoveCases(observer: Page, sender: Page, board: string): Promise<RemoteMoves> {
  const cardId = await observer.evaluate(() => {
    const cards = [...(window as unknown as HookWindow).__redstring.mirror.cards.keys()];
    return cards[Math.floor(cards.length / 2)]!;
  });
  let at100: number[] = [];
  let whole: number[] = [];
  if (await observer.evaluate(() => typeof (window as unknown as HookWindow).__redstring.canvas.onDraw === 'function')) {
    await watchPaints(observer, cardId);
    await observer.evaluate((id) => {
      const canvas = (window as unknown as HookWindow).__redstring.canvas;
      canvas.zoomTo(1);
      canvas.revealCard(id);
    }, cardId);
    await observer.waitForTimeout(400);
    at100 = await measureRemoteMoves(sender, observer, cardId, MOVES);
    await view(observer, 'fit');
    whole = await measureRemoteMoves(sender, observer, cardId, MOVES);
  }
  await sender.close();
  return { at100, whole, board };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const server = await startServer({ env: { REDSTRING_LOG_LEVEL: 'warn', ...(webBuild ? { REDSTRING_WEB_BUILD: webBuild } : {}) } });
  const browser = await launchChromium();
  try {
    const ana = await createSession(server.url, 'Bench Ana');
    const bo = await createSession(server.url, 'Bench Bo');
    const anaContext = await userContext(browser, server.url, ana);
    const boContext = await userContext(browser, server.url, bo);

    // --- 1. 2,000 cards + 2,000 links: pan and zoom (the full run; the quick run pans the sized boards only)
    const runs2k: FrameRun[] = [];
    let remote: RemoteMoves = { at100: [], whole: [], board: '' };
    if (!quick) {
      const link2k = await createBoard(server.url, ana.sessionToken, 'Bench 2k');
      const page = await openBoard(anaContext, link2k);
      const loadStarted = Date.now();
      await bulkLoad(page, 2000, 2000);
      console.log(`loaded 2,000 cards + 2,000 links and confirmed saved in ${Date.now() - loadStarted} ms`);
      await view(page, 'fit');
      runs2k.push(await measureFrames(page, 'pan, whole board in view', 'pan', FRAMES));
      runs2k.push(await measureFrames(page, 'zoom in/out from whole board', 'zoom', FRAMES));
      if (profile) {
        printProfile('pan, whole board', await profileFrames(page, FRAMES, async () => void (await sampleFrames(page, 'pan', FRAMES))));
        printProfile('zoom from whole board', await profileFrames(page, FRAMES, async () => void (await sampleFrames(page, 'zoom', FRAMES))));
      }
      await view(page, 0.5);
      runs2k.push(await measureFrames(page, 'pan at 50 %', 'pan', FRAMES));
      await view(page, 1);
      runs2k.push(await measureFrames(page, 'pan at 100 %', 'pan', FRAMES));
      runs2k.push(await measureFrames(page, 'zoom in/out from 100 %', 'zoom', FRAMES));
      // --- 4. Remote move → paint on the 2,000-card board
      remote = await measureRemoteMoveCases(page, await openBoard(boContext, link2k), '2k');
      await page.close();
    }

    // --- 2. and 3. Boards of 1,000 / 5,000 / 10,000 cards: pan, and opening the 5,000-card board ---
    const bySize: { cards: number; whole: FrameRun; at100: FrameRun; loadMs: number }[] = [];
    const firstPaints: number[] = [];
    const reopenPaints: number[] = [];
    let timelinePage: TimelinePageTimes | undefined;
    for (const cards of SIZES) {
      const link = await createBoard(server.url, ana.sessionToken, `Bench ${cards}`);
      const loader = await openBoard(anaContext, link);
      const started = Date.now();
      await bulkLoad(loader, cards, cards);
      const loadMs = Date.now() - started;
      console.log(`loaded ${cards.toLocaleString('en')} cards + ${cards.toLocaleString('en')} links and confirmed saved in ${loadMs} ms`);
      // The quick run measures remote moves on the smallest board and pans only the larger ones (a
      // 1,000-card pan sits at the display's 16.7 ms in every run).
      if (quick && cards === SIZES[0]) {
        remote = await measureRemoteMoveCases(loader, await openBoard(boContext, link), `${cards / 1000}k`);
      } else {
        await view(loader, 'fit');
        const whole = await measureFrames(loader, `${cards.toLocaleString('en')} cards: pan, whole board in view`, 'pan', FRAMES);
        await view(loader, 1);
        const at100 = await measureFrames(loader, `${cards.toLocaleString('en')} cards: pan at 100 %`, 'pan', FRAMES);
        bySize.push({ cards, whole, at100, loadMs });
      }
      await loader.close();
      if (cards !== 5000) continue;
      for (let attempt = 0; attempt < OPENS; attempt++) {
        const fresh = await userContext(browser, server.url, ana);
        firstPaints.push(await timeToCards(fresh, link, cards, 'first visit'));
        await fresh.close();
      }
      // Ana's browser made the board and keeps its copy.
      reopenPaints.push(await timeToCards(anaContext, link, cards, 'reopened'));
      const editor = await openBoard(boContext, link);
      timelinePage = await measureTimelinePage(anaContext, link, editor, EDITS);
      await editor.close();
      console.log(
        `5,000-card board's timeline page: ${timelinePage.rows} rows listed ${timelinePage.openMs.toFixed(0)} ms after opening; ` +
          `a remote edit counted after ${timelinePage.editMs.join(', ')} ms; main thread busy ${timelinePage.dragBusyMs.toFixed(0)} ms ` +
          `while a card was dragged and ${timelinePage.typingBusyMs.toFixed(0)} ms while a title was typed (${STREAM_MS} ms each)`,
      );
    }
    const loadAfter = loadavg()[0]!;

    // --- Report -------------------------------------------------------------------------------------
    const header = ['scenario'.padEnd(46), 'visible', 'rAF p50', 'rAF p95', 'draw p50', 'draw p95', 'drawn'].join(' ');
    console.log(`\nFrame times (ms; target rAF p95 ≤ ${TARGET_FRAME_MS}). "drawn": share of frames with a full board drawing`);
    console.log('(the others show the last drawing moved by the compositor).');
    if (runs2k.length > 0) {
      console.log('\n2,000 cards + 2,000 links');
      console.log(header);
      for (const r of runs2k) console.log(frameRow(r));
    }
    console.log('\nBoards by size (as many links as cards)');
    console.log(header);
    for (const s of bySize) {
      console.log(frameRow(s.whole));
      console.log(frameRow(s.at100));
    }
    const medianFirstPaint = percentile(firstPaints, 50);
    console.log(`\n5,000-card board opened → on screen: median ${fmt(medianFirstPaint, 0)} ms of ${firstPaints.length} first visits (${firstPaints.map((f) => f.toFixed(0)).join(', ')}; target ${TARGET_FIRST_PAINT_MS}); reopened with this browser's copy: ${reopenPaints.map((f) => f.toFixed(0)).join(', ')} ms`);
    console.log(
      `remote move → paint (another responder's move, through the server): ${remote.board}-card board at 100 % p50 ${fmt(percentile(remote.at100, 50))} / p95 ${fmt(percentile(remote.at100, 95))} ms; ` +
        `whole board in view p50 ${fmt(percentile(remote.whole, 50))} / p95 ${fmt(percentile(remote.whole, 95))} ms (${MOVES} moves each)`,
    );
    const allPans = [...runs2k, ...bySize.flatMap((s) => [s.whole, s.at100])];
    const worstRaf = Math.max(...allPans.map((r) => r.rafP95));
    console.log(`worst p95 frame interval ${fmt(worstRaf)} ms; machine load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${cpus().length} cores`);
    console.log(worstRaf <= TARGET_FRAME_MS + 0.5 && medianFirstPaint <= TARGET_FIRST_PAINT_MS ? 'within targets' : 'OUTSIDE TARGETS');

    const run2k = (label: string) => runs2k.find((r) => r.label === label);
    const json: Record<string, number | boolean | string> = {};
    const put = (key: string, value: number | undefined) => {
      if (value !== undefined) json[key] = value;
    };
    put('pan 2k cards + 2k links, whole board: frame p95 (ms)', run2k('pan, whole board in view')?.rafP95);
    put('zoom 2k cards + 2k links, whole board: frame p95 (ms)', run2k('zoom in/out from whole board')?.rafP95);
    put('pan 2k cards + 2k links, 100 %: frame p95 (ms)', run2k('pan at 100 %')?.rafP95);
    put('zoom 2k cards + 2k links, 100 %: frame p95 (ms)', run2k('zoom in/out from 100 %')?.rafP95);
    put('zoom 2k cards + 2k links, whole board: board draw p95 (ms)', run2k('zoom in/out from whole board')?.drawP95);
    for (const key of Object.keys(json)) json[key] = round(json[key] as number, key.includes('board draw') ? 2 : 1);
    for (const s of bySize) {
      const k = `${s.cards / 1000}k`;
      json[`pan ${k} cards, whole board: frame p95 (ms)`] = round(s.whole.rafP95);
      json[`pan ${k} cards, 100 %: frame p95 (ms)`] = round(s.at100.rafP95);
    }
    json['5k-card board opened → on screen, median (ms)'] = round(medianFirstPaint, 0);
    json['5k-card board reopened (local copy) → on screen (ms)'] = round(percentile(reopenPaints, 50), 0);
    json['remote move → paint at 100 %, p50 (ms)'] = round(percentile(remote.at100, 50));
    json['remote move → paint at 100 %, p95 (ms)'] = round(percentile(remote.at100, 95));
    json[`remote move → paint, whole ${remote.board} board in view, p95 (ms)`] = round(percentile(remote.whole, 95));
    if (timelinePage) {
      json['5k-card board timeline page opened → rows listed (ms)'] = round(timelinePage.openMs, 0);
      json['5k-card board timeline page: remote edit → counted, median (ms)'] = round(percentile(timelinePage.editMs, 50), 0);
      json[`5k-card board timeline page: long tasks during ${STREAM_MS} ms of remote drag (ms)`] = round(timelinePage.dragBusyMs, 0);
      json[`5k-card board timeline page: long tasks during ${STREAM_MS} ms of remote title typing (ms)`] = round(timelinePage.typingBusyMs, 0);
    }
    json['load average during the run (1 min)'] = round((loadBefore + loadAfter) / 2, 2);
    console.log(JSON.stringify(json));
  } finally {
    await browser.close();
    await server.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
