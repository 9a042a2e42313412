/// <reference lib="dom" />
// The timeline page of a board with more events than it lists at once: the first page of rows, "Show
// more", the filter, newest first, the first warnings, everything when printed, and a live update.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/chromium';
import { useE2eEnv } from './setup';

const env = useE2eEnv();
const NOTES = 620;
const EVIDENCE = 25;

interface BoardHook {
  __redstring: { boardDoc: { transact(fn: () => void): void; createCard(input: Record<string, unknown>): string } };
}

/** Creates cards through the board's test hook (the UI adds one card at a time). */
async function addCards(page: Page, titles: string[], kind = 'note'): Promise<void> {
  await page.evaluate(
    ({ titles, kind }) => {
      const { boardDoc } = (window as unknown as BoardHook).__redstring;
      boardDoc.transact(() => {
        titles.forEach((title, i) => boardDoc.createCard({ kind, title, body: '', x: (i % 30) * 300, y: Math.floor(i / 30) * 200 }));
      });
    },
    { titles, kind },
  );
}

describe('timeline page of a large board', () => {
  it('lists a page of events, shows more on request, filters, flips the order and prints every row', async () => {
    const ana = await env.user('Ana', 0);
    const link = await ana.newInvestigation();
    await addCards(
      ana.page,
      Array.from({ length: NOTES }, (_, i) => `Note ${i}: checked shard ${i}`),
    );
    // Evidence without an observed-at time: one coherence warning each.
    await addCards(ana.page, Array.from({ length: EVIDENCE }, (_, i) => `Dashboard snapshot ${i}`), 'evidence');
    // A moment later, so it is the latest event.
    await ana.page.waitForTimeout(30);
    await addCards(ana.page, ['Queue depth alarm on ledger-7']);
    await expect.poll(() => ana.saveState(), { timeout: 20_000 }).toBe('saved');
    const total = NOTES + EVIDENCE + 2; // the cards, the alarm and the board being opened

    const timeline = await ana.page.context().newPage();
    await timeline.goto(`${new URL(link).pathname}/timeline${new URL(link).hash}`);
    const rows = timeline.getByTestId('timeline-events').locator('li');
    const count = timeline.getByTestId('timeline-count');
    await expect.poll(() => count.textContent()).toBe(`Listing the first 500 of ${total} events.`);
    expect(await rows.count()).toBe(500);
    await expect.poll(() => timeline.getByTestId('timeline-more').textContent()).toContain(`${total - 500} more events not listed.`);
    await screenshot(timeline, 'timeline-large-first-page');
    await timeline.getByTestId('timeline-more').scrollIntoViewIfNeeded();
    await screenshot(timeline, 'timeline-large-more');

    await timeline.getByTestId('timeline-show-more').click();
    await expect.poll(() => rows.count()).toBe(total);
    expect(await timeline.getByTestId('timeline-more').count()).toBe(0);
    expect(await rows.last().textContent()).toContain('Queue depth alarm on ledger-7');

    // Filtering starts a new page: every word must match (any case).
    await timeline.getByTestId('timeline-filter').fill('LEDGER-7 alarm');
    await expect.poll(() => count.textContent()).toBe(`1 of ${total} events match “LEDGER-7 alarm”.`);
    expect(await rows.count()).toBe(1);
    // Words, not a phrase: "61" in notes 61, 161, …, 561 and 610–619.
    await timeline.getByTestId('timeline-filter').fill('shard 61');
    await expect.poll(() => rows.count()).toBe(16);
    await timeline.getByTestId('timeline-filter').fill('');

    await timeline.getByTestId('timeline-order').selectOption('newest-first');
    await expect.poll(() => count.textContent()).toBe(`Listing the latest 500 of ${total} events.`);
    expect(await rows.first().textContent()).toContain('Queue depth alarm on ledger-7');
    expect(await rows.last().textContent()).not.toContain('Opened the board');

    // The first 20 coherence warnings, the rest on request.
    const warnings = timeline.getByTestId('timeline-warnings').locator('li');
    expect(await warnings.count()).toBe(20);
    const warningCount = Number((await timeline.getByTestId('timeline-warnings').locator('h2').textContent())?.match(/\d+/)?.[0]);
    expect(warningCount).toBeGreaterThanOrEqual(EVIDENCE);
    expect(await timeline.getByTestId('timeline-warnings-all').textContent()).toBe(`Show all ${warningCount}`);

    // Printing (the Print button or the browser's own) lists every row and warning, then the page goes
    // back to its page of rows.
    await timeline.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await rows.count()).toBe(total);
    expect(await rows.last().textContent()).toContain('Opened the board');
    expect(await warnings.count()).toBe(warningCount);
    await timeline.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await expect.poll(() => rows.count()).toBe(500);

    // An edit on the board reaches the open timeline.
    await addCards(ana.page, ['Ledger-7 consumer lag back under 1 s']);
    await expect.poll(() => rows.first().textContent(), { timeout: 10_000 }).toContain('Ledger-7 consumer lag back under 1 s');
    await expect.poll(() => count.textContent()).toBe(`Listing the latest 500 of ${total + 1} events.`);
    expect(env.pageErrors).toEqual([]);
  });
});
