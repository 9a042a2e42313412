/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Undo only undoes my own work; edits made offline are kept (even across closing the tab), sync on
// reconnect, and "Saved" waits for the server's durable-save confirmation.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../helpers/chromium';
import { BoardPage } from './board-driver';
import { useE2eEnv } from './setup';

const env = useE2eEnv();

/** How many updates this browser's copy of a board (IndexedDB) holds; 0 if there is none (never creates it). */
async function storedUpdates(page: Page, boardId: string): Promise<number> {
  return page.evaluate(async (name) => {
    if (!(await indexedDB.databases()).some((d) => d.name === name)) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('updates')) {
          db.close();
          resolve(0);
          return;
        }
        const count = db.transaction('updates').objectStore('updates').count();
        count.onsuccess = () => {
          resolve(count.result);
          db.close();
        };
      };
    });
  }, `redstring-board:${boardId}`);
}

describe('undo and offline', () => {
  it('undo in A does not undo B’s card', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const link = await ana.newInvestigation();
    await bo.open(link);

    const anaCard = await ana.addCard('theory', 'Something in the checkout path');
    await bo.waitFor((s) => s.cards.some((c) => c.id === anaCard), 'Ana’s card');
    const boCard = await bo.addCard('evidence', 'Provider status page is green');
    await ana.waitFor((s) => s.cards.some((c) => c.id === boCard), 'Bo’s card');

    // Ana undoes (Ctrl+Z on the canvas): her card (and its title typing) goes, Bo's stays, everywhere.
    await ana.page.getByTestId('board-canvas').click({ position: { x: 60, y: 60 } });
    for (let i = 0; i < 5 && (await ana.state()).cards.some((c) => c.id === anaCard); i++) await ana.page.keyboard.press('Control+z');
    for (const who of [ana, bo]) {
      const s = await who.waitFor((st) => !st.cards.some((c) => c.id === anaCard), `${who.name}: Ana’s card undone`);
      expect(s.cards.map((c) => c.id)).toEqual([boCard]);
      expect(s.cards[0]!.title).toBe('Provider status page is green');
    }
    // More undo in Ana has nothing of hers left to undo and still leaves Bo's card alone.
    await ana.page.keyboard.press('Control+z');
    await ana.page.waitForTimeout(300);
    expect((await bo.state()).cards.map((c) => c.id)).toEqual([boCard]);
    // Redo brings Ana's card back.
    await ana.page.getByTestId('redo').click();
    await bo.waitFor((s) => s.cards.some((c) => c.id === anaCard), 'Ana’s card redone');
    expect(env.pageErrors).toEqual([]);
  });

  it('offline edits are kept, reach others on reconnect, and "Saved" only follows the server’s confirmation', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const link = await ana.newInvestigation();
    await bo.open(link);
    const first = await ana.addCard('evidence', 'Error rate 5% on /pay');
    await bo.waitFor((s) => s.cards.some((c) => c.id === first), 'the first card');
    await expect.poll(() => ana.saveState()).toBe('saved');

    // Record every save state Ana's indicator shows from now on.
    await ana.page.evaluate(() => {
      const el = document.querySelector('[data-testid="save-state"]')!;
      const seen: string[] = [el.getAttribute('data-state')!];
      (window as unknown as { __saveStates: string[] }).__saveStates = seen;
      new MutationObserver(() => {
        const s = el.getAttribute('data-state')!;
        if (seen[seen.length - 1] !== s) seen.push(s);
      }).observe(el, { attributes: true });
    });

    await ana.page.context().setOffline(true);
    await expect.poll(() => ana.connectionState()).toBe('offline');
    const offlineCard = await ana.addCard('hypothesis', 'Bad config push at 09:01', 'made while offline');
    await ana.appendToTitle(first, ' (edited offline)');
    expect(await ana.saveState()).toBe('unsaved');
    await screenshot(ana.page, 'offline-ana');
    // Bo sees none of it while Ana is offline.
    await bo.page.waitForTimeout(500);
    expect((await bo.state()).cards.some((c) => c.id === offlineCard)).toBe(false);

    await ana.page.context().setOffline(false);
    await bo.waitFor(
      (s) => s.cards.some((c) => c.id === offlineCard && c.body === 'made while offline') && s.cards.some((c) => c.title === 'Error rate 5% on /pay (edited offline)'),
      'Ana’s offline edits',
      20_000,
    );
    await expect.poll(() => ana.saveState(), { timeout: 15_000 }).toBe('saved');
    expect(await ana.connectionState()).toBe('connected');
    const states = await ana.page.evaluate(() => (window as unknown as { __saveStates: string[] }).__saveStates);
    // saved → unsaved (offline) → [saving] → saved: never "saved" while the edits were only local.
    expect(states[0]).toBe('saved');
    expect(states[1]).toBe('unsaved');
    expect(states.indexOf('saved', 1)).toBe(states.length - 1);

    // What "Saved" promised is on the server: a newcomer loads it from there.
    const chen = await env.user('Chen', 8);
    await chen.open(link);
    await chen.waitFor((s) => s.cards.some((c) => c.id === offlineCard), 'the offline card, loaded from the server');
    expect(env.pageErrors).toEqual([]);
  });

  it('an edit made offline survives closing the tab and reaches the others when the board is opened again', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const link = await ana.newInvestigation();
    const boardId = new URL(link).pathname.split('/')[2]!;
    await bo.open(link);
    const first = await ana.addCard('evidence', 'Disk 91% on db-3');
    await bo.waitFor((s) => s.cards.some((c) => c.id === first), 'the first card');

    const before = await storedUpdates(ana.page, boardId);

    await ana.page.context().setOffline(true);
    await expect.poll(() => ana.connectionState()).toBe('offline');
    const offlineCard = await ana.addCard('hypothesis', 'WAL archiving stuck', 'written offline, then the tab was closed');
    await ana.appendToTitle(first, ' and rising');
    // The edits are in this browser's copy before the tab goes away.
    await expect.poll(() => storedUpdates(ana.page, boardId)).toBeGreaterThan(before);
    await ana.page.close();
    await bo.page.waitForTimeout(300);
    expect((await bo.state()).cards.some((c) => c.id === offlineCard)).toBe(false);

    // Back online, Ana opens the board again: her offline edits go up with the first sync.
    await ana.page.context().setOffline(false);
    const reopened = new BoardPage(await ana.page.context().newPage(), 'Ana (reopened)');
    reopened.page.on('pageerror', (e) => env.pageErrors.push(`Ana (reopened): ${e.message}`));
    await reopened.open(link);
    await bo.waitFor(
      (s) =>
        s.cards.some((c) => c.id === offlineCard && c.body === 'written offline, then the tab was closed') &&
        s.cards.some((c) => c.id === first && c.title === 'Disk 91% on db-3 and rising'),
      'Ana’s offline edits from the closed tab',
      20_000,
    );
    await expect.poll(() => reopened.saveState(), { timeout: 15_000 }).toBe('saved');
    // And the server has them: a newcomer loads them from there.
    const chen = await env.user('Chen', 8);
    await chen.open(link);
    await chen.waitFor((s) => s.cards.some((c) => c.id === offlineCard), 'the offline card, from the server');
    expect(env.pageErrors).toEqual([]);
  });
});
