// The post-incident export: the Markdown a reviewer downloads from the timeline page holds the cards, the
// ruled-out hypothesis as a false lead, and the callout with its acknowledgement.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/chromium';
import { useE2eEnv } from './setup';

const env = useE2eEnv();

describe('timeline export', () => {
  it('downloads Markdown with cards, the false lead and the acknowledged callout', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const link = await ana.newInvestigation();
    await bo.open(link);

    // Title the board through its title field.
    const title = ana.page.getByTestId('board-title');
    await title.fill('Checkout latency spike');
    await title.press('Enter');

    const latency = await ana.addCard('evidence', 'p99 checkout latency 4 s', 'from the checkout dashboard');
    const h1 = await bo.addCard('hypothesis', 'Payment provider degraded');
    await bo.placeCard(h1, 0.75, 0.22);
    const h2 = await ana.addCard('hypothesis', 'Cache eviction storm after deploy 8812');
    await ana.placeCard(latency, 0.4, 0.5);
    await ana.placeCard(h2, 0.75, 0.75);
    const refuting = await bo.addCard('evidence', 'Provider status green, provider-call latency flat');
    await bo.placeCard(refuting, 0.3, 0.2);
    await bo.linkCards(refuting, h1, 'refutes');
    await ana.linkCards(latency, h2, 'supports');

    // Bo rules H1 out from the card inspector, with a reason.
    await bo.clickCard(h1);
    await bo.page.getByTestId('inspector-status').click();
    await bo.page.getByTestId('status-popover').locator('[data-status="ruled-out"]').click();
    await bo.page.getByTestId('status-reason').fill('provider status green, our call latency flat');
    await bo.page.getByTestId('status-save').click();
    await ana.waitFor((s) => s.cards.find((c) => c.id === h1)?.status === 'ruled-out', 'H1 ruled out');

    // Ana calls out to Bo; Bo acknowledges with a read-back.
    await ana.page.getByTestId('new-callout').click();
    const to = ana.page.getByTestId('callout-to');
    await to.selectOption((await to.locator('option', { hasText: 'Bo' }).first().getAttribute('value'))!);
    await ana.page.getByTestId('callout-issue').fill('Cache hit rate dropped from 97% to 40% at 08:54');
    await ana.page.getByTestId('callout-noticed').fill('cache dashboard');
    await ana.page.getByTestId('callout-intent').fill('roll back deploy 8812');
    await ana.page.getByTestId('callout-send').click();
    await bo.page.getByTestId('callout-banner').waitFor();
    await bo.page.getByTestId('readback-input').fill('roll back 8812');
    await bo.page.getByTestId('acknowledge-button').click();
    await bo.page.getByTestId('callout-banner').waitFor({ state: 'detached' });
    await expect.poll(() => ana.saveState()).toBe('saved');
    await ana.page.keyboard.press('Shift+Digit1');
    await screenshot(ana.page, 'export-board-ana');

    // The timeline page, then the Markdown download.
    await ana.page.getByRole('link', { name: 'Timeline' }).click();
    await ana.page.getByTestId('timeline-title').waitFor();
    await expect.poll(() => ana.page.getByTestId('false-lead').count()).toBe(1);
    await screenshot(ana.page, 'timeline-ana');
    const [download] = await Promise.all([ana.page.waitForEvent('download'), ana.page.getByTestId('download-markdown').click()]);
    const markdown = readFileSync((await download.path())!, 'utf8');

    expect(markdown).toContain('Checkout latency spike');
    for (const cardTitle of ['p99 checkout latency 4 s', 'Payment provider degraded', 'Cache eviction storm after deploy 8812', 'Provider status green, provider-call latency flat']) {
      expect(markdown).toContain(cardTitle);
    }
    const falseLeads = markdown.slice(markdown.indexOf('### False leads'));
    expect(falseLeads).toMatch(/\| Payment provider degraded \| Bo \|/);
    expect(falseLeads).toContain('provider status green, our call latency flat');
    const callouts = markdown.slice(markdown.indexOf('## Callouts'));
    expect(callouts).toContain('Cache hit rate dropped from 97% to 40% at 08:54');
    expect(callouts).toMatch(/\| acknowledged \| \d+ m?s \| "roll back 8812" \|/);
    expect(env.pageErrors).toEqual([]);
  });
});
