/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// A view-only link shows the live board read-only: no creation tools, no edits through the UI, and an edit
// a tampered viewer client sends anyway is dropped by the server, so no editor ever receives it.
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/chromium';
import type { BoardPage } from './board-driver';
import { useE2eEnv } from './setup';

const env = useE2eEnv();

async function viewerUpdatesDropped(): Promise<number> {
  const text = await (await fetch(`${env.server.url}/metrics`)).text();
  const m = /^redstring_viewer_updates_dropped_total (\d+)/m.exec(text);
  if (!m) throw new Error(`no viewer-drop counter in /metrics:\n${text.slice(0, 500)}`);
  return Number(m[1]);
}

async function shareLink(who: BoardPage, access: 'editor' | 'viewer'): Promise<string> {
  await who.page.getByTestId('share').click();
  const url = await who.page.locator(`[data-testid="share-link"][data-access="${access}"] input`).inputValue();
  await who.page.getByTestId('share').click();
  return url;
}

describe('view-only link', () => {
  it('shows the live board read-only, and the server drops edits a viewer sends anyway', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const editorLink = await ana.newInvestigation();
    const evidence = await ana.addCard('evidence', 'Disk full on db-3', 'df -h at 09:12');
    const viewLink = await shareLink(ana, 'viewer');
    expect(viewLink).toMatch(/#view=/);

    await bo.open(viewLink);
    await bo.waitFor((s) => s.cards.some((c) => c.id === evidence && c.body === 'df -h at 09:12'), 'Ana’s card');
    // Read-only chrome: a "View only" marker, no creation toolbar, no callout button, a read-only title.
    await bo.page.locator('.pill', { hasText: 'View only' }).waitFor();
    expect(await bo.page.getByRole('navigation', { name: 'Tools' }).count()).toBe(0);
    expect(await bo.page.getByTestId('add-evidence').count()).toBe(0);
    expect(await bo.page.getByTestId('new-callout').count()).toBe(0);
    expect(await bo.page.getByTestId('board-title').getAttribute('readonly')).not.toBeNull();
    await screenshot(bo.page, 'viewer-bo');

    // Editing through the UI does nothing: double-click opens no editor, shortcuts create nothing,
    // Delete deletes nothing, and dragging a card pans the view instead of moving the card.
    const card = await bo.cardRect(evidence);
    await bo.page.mouse.dblclick(card.x + 40, card.y + 44);
    await bo.page.mouse.dblclick(card.x + card.w + 200, card.y + card.h + 150);
    await bo.page.keyboard.press('3');
    await bo.clickCard(evidence);
    await bo.page.keyboard.press('Delete');
    await bo.dragCard(evidence, 180, 90);
    expect(await bo.page.getByTestId('card-title-input').count()).toBe(0);
    const moved = await bo.cardRect(evidence);
    expect(Math.round(moved.x - card.x)).toBe(180);
    expect(Math.round(moved.y - card.y)).toBe(90);
    const boState = await bo.state();
    expect(boState.cards.map((c) => [c.id, c.title, c.x, c.y])).toEqual((await ana.state()).cards.map((c) => [c.id, c.title, c.x, c.y]));
    expect(boState.cards).toHaveLength(1);

    // A tampered viewer client edits its own copy of the document; the server drops the update.
    const droppedBefore = await viewerUpdatesDropped();
    await bo.page.evaluate((id) => {
      const hook = (window as unknown as { __redstring: { boardDoc: { createCard(c: Record<string, unknown>): string; setTitle(id: string, text: string): void; moveCards(m: { id: string; x: number; y: number }[]): void } } })
        .__redstring;
      hook.boardDoc.createCard({ kind: 'note', title: 'Forged by a viewer', x: 0, y: 0 });
      hook.boardDoc.setTitle(id, 'Overwritten by a viewer');
      hook.boardDoc.moveCards([{ id, x: 5000, y: 5000 }]);
    }, evidence);
    await expect.poll(viewerUpdatesDropped, { timeout: 10_000 }).toBeGreaterThan(droppedBefore);

    // The connection is still live (Ana's next card reaches Bo), and no editor ever sees the forgery.
    const later = await ana.addCard('hypothesis', 'Log rotation stopped');
    await bo.waitFor((s) => s.cards.some((c) => c.id === later), 'Ana’s later card');
    const anaState = await ana.state();
    expect(anaState.cards.map((c) => c.title).sort()).toEqual(['Disk full on db-3', 'Log rotation stopped']);
    expect(anaState.cards.find((c) => c.id === evidence)).toMatchObject({ x: boState.cards[0]!.x, y: boState.cards[0]!.y });
    const chen = await env.user('Chen', 8);
    await chen.open(editorLink);
    const chenState = await chen.waitFor((s) => s.cards.length === 2, 'the board from the server');
    expect(chenState.cards.map((c) => c.title).sort()).toEqual(['Disk full on db-3', 'Log rotation stopped']);
    expect(env.pageErrors).toEqual([]);
  });
});
