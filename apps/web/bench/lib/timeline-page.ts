/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// The timeline page of a big board: the time from opening it to its first rows listed, and from another
// responder's edit on the board (through the server) to the page counting it.
import type { BrowserContext, Page } from '../../../../test/helpers/chromium';
import type { HookWindow } from './hook';

export interface TimelinePageTimes {
  /** Navigation start → the first event rows in the page. */
  openMs: number;
  /** Rows the page listed. */
  rows: number;
  /** Each edit's card created on `editor` → the timeline page counting one more event. */
  editMs: number[];
  /** Main-thread long tasks (ms) on the timeline page while `editor` drags a card for STREAM_MS. */
  dragBusyMs: number;
  /** The same while `editor` types a card's title, a key every 100 ms (each changes the timeline). */
  typingBusyMs: number;
}

/** How long each stream of remote changes lasts. */
export const STREAM_MS = 3000;

const COUNT = '[data-testid=timeline-count]';

type LongTaskWindow = Window & { __longTasks?: { ms: number; observer: PerformanceObserver } };

/** Milliseconds of long tasks (main thread busy ≥ 50 ms at a stretch) on `page` while `stream` runs, and 1 s after. */
async function busyDuring(page: Page, stream: () => Promise<unknown>): Promise<number> {
  await page.evaluate(() => {
    const tasks = {
      ms: 0,
      observer: new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) tasks.ms += entry.duration;
      }),
    };
    tasks.observer.observe({ type: 'longtask' });
    (window as LongTaskWindow).__longTasks = tasks;
  });
  await stream();
  await page.waitForTimeout(1000);
  return page.evaluate(() => {
    const tasks = (window as LongTaskWindow).__longTasks!;
    tasks.observer.disconnect();
    return tasks.ms;
  });
}

/** `boardLink` is the board's share link; `editor` is another responder's page open on the same board. */
export async function measureTimelinePage(context: BrowserContext, boardLink: string, editor: Page, edits: number): Promise<TimelinePageTimes> {
  const url = new URL(boardLink, 'http://redstring.invalid'); // the link may be a path
  const page = await context.newPage();
  try {
    await page.goto(`${url.pathname}/timeline${url.hash}`);
    const openMs = await (
      await page.waitForFunction(() => (document.querySelector('[data-testid=timeline-events] li') ? performance.now() : 0), undefined, {
        timeout: 120_000,
        polling: 20,
      })
    ).jsonValue();
    const rows = await page.locator('[data-testid=timeline-events] li').count();
    const editMs: number[] = [];
    for (let i = 0; i < edits; i++) {
      const before = await page.locator(COUNT).textContent();
      const started = Date.now();
      await editor.evaluate((i) => {
        (window as unknown as HookWindow).__redstring.boardDoc.createCard({ kind: 'note', title: `Timeline bench note ${i}`, body: '', x: -400, y: i * 200 });
      }, i);
      await page.waitForFunction(([selector, before]) => document.querySelector(selector)?.textContent !== before, [COUNT, before] as const, {
        timeout: 60_000,
        polling: 'raf',
      });
      editMs.push(Date.now() - started);
      // Apart, so each edit is timed on its own rather than merged into the previous rebuild.
      await page.waitForTimeout(300);
    }
    const cardId = await editor.evaluate(() => [...(window as unknown as HookWindow).__redstring.mirror.cards.keys()][0]!);
    const dragBusyMs = await busyDuring(page, () =>
      editor.evaluate(
        async ({ id, ms }) => {
          const hook = (window as unknown as HookWindow).__redstring;
          const start = performance.now();
          for (let frame = 0; performance.now() - start < ms; frame++) {
            hook.boardDoc.moveCards([{ id, x: (frame % 60) * 10, y: -600 }]);
            await new Promise(requestAnimationFrame);
          }
        },
        { id: cardId, ms: STREAM_MS },
      ),
    );
    const typingBusyMs = await busyDuring(page, () =>
      editor.evaluate(
        async ({ id, ms }) => {
          const hook = (window as unknown as HookWindow).__redstring;
          for (let key = 0; key < ms / 100; key++) {
            hook.boardDoc.editText(id, 'title', 0, 0, 'x');
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        },
        { id: cardId, ms: STREAM_MS },
      ),
    );
    return { openMs, rows, editMs, dragBusyMs, typingBusyMs };
  } finally {
    await page.close();
  }
}
