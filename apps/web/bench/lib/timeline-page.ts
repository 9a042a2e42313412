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
}

const COUNT = '[data-testid=timeline-count]';

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
    return { openMs, rows, editMs };
  } finally {
    await page.close();
  }
}
