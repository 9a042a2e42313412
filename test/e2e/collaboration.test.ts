/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Several responders on one board: what one does, the others see; everyone sees who is there.
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/chromium';
import { useE2eEnv } from './setup';

const env = useE2eEnv();

describe('collaboration on one board', () => {
  it('two, then three browsers converge on cards created, moved, edited and linked, and see each other', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const link = await ana.newInvestigation();
    await bo.open(link);

    // Ana creates two cards through the toolbar; Bo sees them.
    const evidence = await ana.addCard('evidence', 'p99 checkout latency 4 s', 'Dashboard: p99 climbing since 08:55');
    const hypothesis = await ana.addCard('hypothesis', 'Payment provider degraded');
    await bo.waitFor((s) => s.cards.some((c) => c.id === evidence && c.body.includes('08:55')) && s.cards.some((c) => c.id === hypothesis), 'Ana’s cards');

    // Ana moves the cards; Bo sees the new positions.
    await ana.placeCard(evidence, 0.25, 0.3);
    const before = (await ana.state()).cards.find((c) => c.id === hypothesis);
    await ana.placeCard(hypothesis, 0.75, 0.3);
    const moved = (await ana.waitFor((s) => s.cards.find((c) => c.id === hypothesis)?.x !== before?.x, 'the move')).cards.find((c) => c.id === hypothesis);
    expect(Math.abs(moved!.x - before!.x) + Math.abs(moved!.y - before!.y)).toBeGreaterThan(150);
    await bo.waitFor((s) => s.cards.find((c) => c.id === hypothesis)?.x === moved!.x && s.cards.find((c) => c.id === hypothesis)?.y === moved!.y, 'the moved card');

    // Bo links the evidence to the hypothesis; Ana sees the link.
    await bo.linkCards(evidence, hypothesis, 'refutes');
    await ana.waitFor((s) => s.links.some((l) => l.from === evidence && l.to === hypothesis && l.relation === 'refutes'), 'Bo’s link');

    // Bo edits Ana's card title in place; Ana sees the edit.
    await bo.appendToTitle(hypothesis, ' (H1)');
    await ana.waitFor((s) => s.cards.find((c) => c.id === hypothesis)?.title === 'Payment provider degraded (H1)', 'Bo’s title edit');

    // Presence: each sees the other on the board.
    await expect.poll(() => ana.page.getByTestId('presence-avatar').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(
      expect.arrayContaining(['Ana', 'Bo']),
    );

    // A third responder joins, adds a card and links it; all three converge.
    const chen = await env.user('Chen', 8);
    await chen.open(link);
    const chenState = await chen.waitFor((s) => s.cards.length === 2 && s.links.length === 1, 'the board so far');
    expect(chenState.cards.map((c) => c.title).sort()).toEqual(['Payment provider degraded (H1)', 'p99 checkout latency 4 s']);
    const h2 = await chen.addCard('hypothesis', 'Cache eviction storm after deploy 8812');
    await chen.placeCard(h2, 0.7, 0.75);
    await chen.linkCards(evidence, h2, 'supports');
    for (const who of [ana, bo, chen]) {
      const s = await who.waitFor((st) => st.cards.length === 3 && st.links.length === 2, `${who.name}: three cards and two links`);
      expect(s.links.map((l) => l.relation).sort()).toEqual(['refutes', 'supports']);
    }
    // Everyone's positions and texts are identical.
    const snapshots = await Promise.all([ana, bo, chen].map(async (who) => JSON.stringify((await who.state()).cards.map((c) => [c.id, c.title, c.body, c.x, c.y]).sort())));
    expect(new Set(snapshots).size).toBe(1);

    for (const who of [ana, bo, chen]) {
      await expect
        .poll(() => who.page.getByTestId('presence-avatar').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort()), { timeout: 10_000 })
        .toEqual(['Ana', 'Bo', 'Chen']);
    }
    // Live cursors: Ana sees Chen's cursor in the awareness state once Chen moves the mouse.
    await chen.page.mouse.move(500, 400);
    await chen.page.mouse.move(520, 420);
    await expect
      .poll(() =>
        ana.page.evaluate(() => {
          const hook = (window as unknown as { __redstring: { session: { peers(): { user: { name: string }; cursor: unknown }[] } } }).__redstring;
          return hook.session.peers().some((p) => p.user.name === 'Chen' && p.cursor !== null);
        }),
      )
      .toBe(true);
    await screenshot(ana.page, 'collaboration-ana');
    expect(env.pageErrors).toEqual([]);
  });
});
