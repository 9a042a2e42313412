/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Find on the board, PNG export, following another responder's viewport, and the browser notification a
// callout raises where the user allowed notifications.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/chromium';
import type { BoardPage } from './board-driver';
import { colorsOnScreen, countColors, pngSize } from './pixels';
import { useE2eEnv } from './setup';

const env = useE2eEnv();

/** Find highlights are gold rings just outside a card (solid for the active match, translucent for others). */
const FIND_GOLD = { gold: '#d8b146' };

async function goldAbove(who: BoardPage, cardId: string): Promise<number> {
  const r = await who.cardRect(cardId);
  const counts = await colorsOnScreen(who.page, { x: r.x + 24, y: r.y - 8, width: r.w - 48, height: 5 }, FIND_GOLD, 32);
  return counts.gold ?? 0;
}

interface ViewSnapshot {
  centre: { x: number; y: number };
  scale: number;
}

async function view(who: BoardPage): Promise<ViewSnapshot> {
  return who.page.evaluate(() => {
    const hook = (window as unknown as { __redstring: { canvas: { viewCenterWorld(): { x: number; y: number }; getViewport(): { scale: number } } } }).__redstring;
    return { centre: hook.canvas.viewCenterWorld(), scale: hook.canvas.getViewport().scale };
  });
}

function sameView(a: ViewSnapshot, b: ViewSnapshot): boolean {
  return Math.abs(a.scale - b.scale) < 1e-6 && Math.abs(a.centre.x - b.centre.x) < 1 && Math.abs(a.centre.y - b.centre.y) < 1;
}

/** Drags on empty board with the hand tool (H), as a user pans. */
async function panWithHand(who: BoardPage, dx: number, dy: number): Promise<void> {
  const box = (await who.page.getByTestId('board-canvas').boundingBox())!;
  const start = { x: box.x + box.width / 2, y: box.y + box.height - 60 };
  await who.page.keyboard.press('h');
  await who.page.mouse.move(start.x, start.y);
  await who.page.mouse.down();
  for (let i = 1; i <= 6; i++) await who.page.mouse.move(start.x + (dx * i) / 6, start.y + (dy * i) / 6);
  await who.page.mouse.up();
  await who.page.keyboard.press('v');
}

describe('board tools', () => {
  it('Ctrl+F highlights the matching cards, and the board exports as a valid PNG', async () => {
    const ana = await env.user('Ana', 0);
    await ana.newInvestigation();
    const storm = await ana.addCard('hypothesis', 'Cache eviction storm after deploy 8812');
    const provider = await ana.addCard('hypothesis', 'Payment provider degraded');
    const hitRate = await ana.addCard('evidence', 'Hit rate 97% → 40%', 'from the cache dashboard');
    await ana.page.getByTestId('board-canvas').click({ position: { x: 30, y: 30 } });
    for (const id of [storm, provider, hitRate]) expect(await goldAbove(ana, id)).toBe(0);

    // Find: matches title and body text, case-insensitively; matching cards are ringed in gold.
    await ana.page.keyboard.press('Control+f');
    const input = ana.page.getByTestId('find-input');
    await input.waitFor();
    await input.pressSequentially('CACHE', { delay: 10 });
    await expect.poll(() => ana.page.getByTestId('find-count').textContent()).toBe('1 of 2');
    await expect.poll(() => goldAbove(ana, storm)).toBeGreaterThan(40);
    expect(await goldAbove(ana, hitRate)).toBeGreaterThan(40);
    expect(await goldAbove(ana, provider)).toBe(0);
    await screenshot(ana.page, 'find-ana');
    // Enter steps to the next match; Escape closes Find and the highlights go.
    await input.press('Enter');
    await expect.poll(() => ana.page.getByTestId('find-count').textContent()).toBe('2 of 2');
    await input.press('Escape');
    await input.waitFor({ state: 'detached' });
    await expect.poll(() => goldAbove(ana, storm)).toBe(0);
    expect(await goldAbove(ana, hitRate)).toBe(0);

    // PNG export: a real PNG of the whole board (40 px margin, at 2× resolution) with the cards drawn in it.
    const [download] = await Promise.all([ana.page.waitForEvent('download'), ana.page.getByTestId('export-png').click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const png = readFileSync((await download.path())!);
    const size = pngSize(png);
    const cards = (await ana.state()).cards;
    const minX = Math.min(...cards.map((c) => c.x));
    const minY = Math.min(...cards.map((c) => c.y));
    const maxX = Math.max(...cards.map((c) => c.x + c.w));
    const maxY = Math.max(...cards.map((c) => c.y + c.h));
    expect(size).toEqual({ width: (maxX - minX + 80) * 2, height: (maxY - minY + 80) * 2 });
    const decoded = await countColors(ana.page, png, { background: '#f6f7f9', hypothesisHeader: '#e6f0fd', evidenceHeader: '#e5f5ea' }, 3);
    expect({ width: decoded.width, height: decoded.height }).toEqual(size);
    // Two hypothesis header bands and one evidence band (over 5,000 world units² each, 4 pixels per unit²).
    expect(decoded.counts.hypothesisHeader).toBeGreaterThan(2 * 15_000);
    expect(decoded.counts.evidenceHeader).toBeGreaterThan(15_000);
    expect(decoded.counts.background).toBeGreaterThan(size.width * size.height * 0.2);
    expect(env.pageErrors).toEqual([]);
  });

  it('following another responder shows their viewport until I navigate myself', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const link = await ana.newInvestigation();
    const left = await ana.addCard('evidence', 'Queue depth 40k on orders');
    const right = await ana.addCard('action', 'Scale consumers to 12');
    await ana.placeCard(left, 0.15, 0.25);
    await ana.placeCard(right, 0.85, 0.75);
    await bo.open(link);
    await bo.waitFor((s) => s.cards.length === 2, 'Ana’s cards');

    // Bo zooms in and pans toward one card.
    await bo.page.getByTestId('board-canvas').click({ position: { x: 30, y: 30 } });
    await bo.page.keyboard.press('+');
    await bo.page.keyboard.press('+');
    await panWithHand(bo, -260, -180);
    const boView = await view(bo);
    expect(boView.scale).toBeGreaterThan(1);
    expect(sameView(await view(ana), boView)).toBe(false);

    // Ana follows Bo from his avatar: she sees what he sees, card for card.
    await ana.page.locator('[data-testid="presence-avatar"][data-name="Bo"]').click();
    await ana.page.getByText('Following Bo').waitFor();
    await expect.poll(async () => sameView(await view(ana), await view(bo)), { timeout: 10_000 }).toBe(true);
    const [anaRect, boRect] = [await ana.cardRect(right), await bo.cardRect(right)];
    expect(Math.abs(anaRect.x - boRect.x) + Math.abs(anaRect.y - boRect.y)).toBeLessThan(2);
    expect(anaRect.w).toBeCloseTo(boRect.w, 3);
    await screenshot(ana.page, 'following-bo-ana');

    // Bo moves on; Ana's view goes with him.
    await panWithHand(bo, 200, 120);
    await expect.poll(async () => sameView(await view(ana), await view(bo)), { timeout: 10_000 }).toBe(true);

    // Ana pans by herself (wheel): following stops, and Bo's next move leaves her view alone.
    await ana.page.mouse.move(500, 500);
    await ana.page.mouse.wheel(0, 120);
    await ana.page.getByText('Following Bo').waitFor({ state: 'detached' });
    const anaOwn = await view(ana);
    const boBefore = await view(bo);
    await panWithHand(bo, -150, 0);
    expect(sameView(await view(bo), boBefore)).toBe(false);
    await ana.page.waitForTimeout(600);
    expect(sameView(await view(ana), anaOwn)).toBe(true);
    expect(env.pageErrors).toEqual([]);
  });

  it('a callout raises a browser notification where notifications are allowed, and none elsewhere', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const chen = await env.user('Chen', 8, { notifications: false });
    // Record the notifications each page raises (the browser's own Notification still shows them).
    for (const who of [bo, chen]) {
      await who.page.context().addInitScript(() => {
        const shown: { title: string; body: string | undefined; tag: string | undefined; shown: boolean; failed: boolean }[] = [];
        (window as unknown as { __notifications: typeof shown }).__notifications = shown;
        const Native = window.Notification;
        window.Notification = class extends Native {
          constructor(title: string, options?: NotificationOptions) {
            super(title, options);
            const entry = { title, body: options?.body, tag: options?.tag, shown: false, failed: false };
            shown.push(entry);
            this.addEventListener('show', () => (entry.shown = true));
            this.addEventListener('error', () => (entry.failed = true));
          }
        };
      });
    }
    const link = await ana.newInvestigation();
    await bo.open(link);
    await chen.open(link);
    expect(await bo.page.evaluate(() => Notification.permission)).toBe('granted');
    expect(await chen.page.evaluate(() => Notification.permission)).not.toBe('granted');
    await expect.poll(() => ana.page.getByTestId('presence-avatar').count()).toBe(3);

    for (const to of ['Bo', 'Chen']) {
      await ana.page.getByTestId('new-callout').click();
      const select = ana.page.getByTestId('callout-to');
      await select.selectOption((await select.locator('option', { hasText: to }).first().getAttribute('value'))!);
      await ana.page.getByTestId('callout-issue').fill(`Checkout error rate 12% — for ${to}`);
      await ana.page.getByTestId('callout-noticed').fill('SLO alert');
      await ana.page.getByTestId('callout-intent').fill('Freeze deploys');
      await ana.page.getByTestId('callout-send').click();
      await ana.page.getByTestId('callout-composer').waitFor({ state: 'detached' });
    }

    // Both get the banner; only Bo, who allowed notifications, gets a browser notification, once.
    await bo.page.getByTestId('callout-banner').waitFor();
    await chen.page.getByTestId('callout-banner').waitFor();
    const notificationsOf = (who: BoardPage) =>
      who.page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string; shown: boolean; failed: boolean }[] }).__notifications);
    // "shown" is the browser's own show event: Chromium displayed it.
    await expect.poll(async () => (await notificationsOf(bo)).filter((n) => n.shown).length).toBe(1);
    const [notice] = await notificationsOf(bo);
    expect(notice).toMatchObject({ title: 'Callout from Ana', body: 'Checkout error rate 12% — for Bo', shown: true, failed: false });
    await bo.page.waitForTimeout(300);
    expect(await notificationsOf(bo)).toHaveLength(1);
    expect(await notificationsOf(chen)).toEqual([]);
    expect(env.pageErrors).toEqual([]);
  });
});
