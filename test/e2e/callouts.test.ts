/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// CRM callouts in the browser: addressed, acknowledged with a read-back, latency shown to the sender,
// refused to anyone else, and escalated visibly when nobody answers in time.
import { describe, expect, it } from 'vitest';
import { screenshot } from '../helpers/chromium';
import { useE2eEnv } from './setup';
import type { BoardPage } from './board-driver';

const env = useE2eEnv();

async function sendCalloutThroughUi(from: BoardPage, toName: string, issue: string, noticed: string, intent: string): Promise<void> {
  await from.page.getByTestId('new-callout').click();
  const composer = from.page.getByTestId('callout-composer');
  await composer.waitFor();
  const toSelect = from.page.getByTestId('callout-to');
  const value = await toSelect.locator('option', { hasText: toName }).first().getAttribute('value');
  await toSelect.selectOption(value!);
  await from.page.getByTestId('callout-issue').fill(issue);
  await from.page.getByTestId('callout-noticed').fill(noticed);
  await from.page.getByTestId('callout-intent').fill(intent);
  await composer.getByText('high', { exact: true }).click();
  await from.page.getByTestId('callout-send').click();
  await composer.waitFor({ state: 'detached' });
}

describe('callouts', () => {
  it('A calls out to B; B acknowledges with a read-back; A sees the latency; C cannot acknowledge', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const chen = await env.user('Chen', 8);
    const link = await ana.newInvestigation();
    await bo.open(link);
    await chen.open(link);
    const evidence = await ana.addCard('evidence', 'Cache hit rate 97% → 40% at 08:54', 'cache dashboard');
    const h1 = await ana.addCard('hypothesis', 'Cache eviction storm after deploy 8812');
    await ana.placeCard(evidence, 0.3, 0.5);
    await ana.placeCard(h1, 0.7, 0.5);
    await ana.linkCards(evidence, h1, 'supports');
    await expect.poll(() => ana.page.getByTestId('presence-avatar').count()).toBe(3);

    // Bo looks at the whole board (Shift+1: zoom to fit) when the callout arrives.
    await bo.page.keyboard.press('Shift+Digit1');
    await sendCalloutThroughUi(ana, 'Bo', 'Cache hit rate dropped from 97% to 40% at 08:54', 'cache dashboard', 'Roll back deploy 8812 — ack?');

    // Bo: an unmissable banner with a countdown.
    const banner = bo.page.getByTestId('callout-banner');
    await banner.waitFor({ timeout: 10_000 });
    await expect.poll(() => banner.textContent()).toContain('Cache hit rate dropped from 97% to 40%');
    expect(await banner.textContent()).toMatch(/ack within \d+:\d\d/);
    await screenshot(bo.page, 'callout-banner-bo');

    // Chen is not the addressee: no banner, and the server refuses an acknowledgement from Chen.
    expect(await chen.page.getByTestId('callout-banner').count()).toBe(0);
    const calloutId = (await banner.getAttribute('data-callout-id'))!;
    const chenTry = await chen.page.evaluate(async (id) => {
      const hook = (window as unknown as { __redstring: { hub: { acknowledge(id: string, rb?: string): Promise<{ ok: boolean; error?: { code: string } }> } } }).__redstring;
      return hook.hub.acknowledge(id, 'not mine');
    }, calloutId);
    expect(chenTry.ok).toBe(false);
    // Chen's panel lists it under "All" with no Acknowledge button.
    await chen.page.getByTestId('tab-callouts').click();
    await chen.page.getByRole('tab', { name: 'All', exact: true }).click();
    const chenItem = chen.page.locator(`[data-testid="callout-item"][data-callout-id="${calloutId}"]`);
    await chenItem.waitFor();
    expect(await chenItem.getByTestId('panel-acknowledge').count()).toBe(0);

    // Bo acknowledges with a read-back.
    await bo.page.getByTestId('readback-input').fill('roll back 8812');
    await bo.page.getByTestId('acknowledge-button').click();
    await banner.waitFor({ state: 'detached', timeout: 10_000 });

    // Ana sees it acknowledged, with the latency and the read-back, in "Sent".
    await ana.page.getByTestId('tab-callouts').click();
    await ana.page.getByRole('tab', { name: 'Sent', exact: true }).click();
    const item = ana.page.locator(`[data-testid="callout-item"][data-callout-id="${calloutId}"]`);
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 10_000 }).toBe('acknowledged');
    const latency = await item.getByTestId('callout-latency').textContent();
    expect(latency).toMatch(/Acknowledged by Bo in [\d.]+ s/);
    expect(latency).toContain('roll back 8812');
    // Chen's view updates too (state pushed to the board's room).
    await expect.poll(() => chenItem.getAttribute('data-state')).toBe('acknowledged');
    await screenshot(ana.page, 'callout-acknowledged-ana');
    expect(env.pageErrors).toEqual([]);
  });

  it('an unacknowledged callout escalates visibly, and the commander sees it', async () => {
    const ana = await env.user('Ana', 0);
    const bo = await env.user('Bo', 5);
    const chen = await env.user('Chen', 8);
    const link = await ana.newInvestigation();
    await bo.open(link);
    await chen.open(link);
    await ana.addCard('hypothesis', 'DNS resolver flapping');
    await expect.poll(() => ana.page.getByTestId('presence-avatar').count()).toBe(3);

    // Ana takes the commander role through the People panel; Bo's tab learns of it.
    await ana.page.getByTestId('tab-people').click();
    await ana.page.getByTestId('role-commander').locator('select').selectOption({ label: 'Ana (you)' });
    await expect
      .poll(() =>
        bo.page.evaluate(() => {
          const hook = (window as unknown as { __redstring: { hub: { rolesOf(b: string): { role: string; handedOverAt?: number }[] }; connection: { options: { boardId: string } } } })
            .__redstring;
          return hook.hub.rolesOf(hook.connection.options.boardId).filter((r) => r.role === 'commander' && !r.handedOverAt).length;
        }),
      )
      .toBe(1);

    // Bo calls out to Chen with a 2 s deadline (through the test hook: the composer's shortest choice is 30 s).
    const boardId = new URL(link).pathname.split('/')[2]!;
    const chenUserId = await chen.page.evaluate(() => (window as unknown as { __redstring: { session: { me: { userId: string } } } }).__redstring.session.me.userId);
    const created = await bo.page.evaluate(
      async ({ boardId, chenUserId }) => {
        const hook = (window as unknown as { __redstring: { hub: { createCallout(r: unknown): Promise<{ ok: boolean; value?: { id: string } }> } } }).__redstring;
        return hook.hub.createCallout({
          boardId,
          to: { kind: 'user', userId: chenUserId, name: 'Chen' },
          issue: 'Error budget for checkout burning 10x',
          noticedHow: 'SLO alert',
          intent: 'Page the payments on-call',
          urgency: 'critical',
          ackWithinSeconds: 2,
        });
      },
      { boardId, chenUserId },
    );
    expect(created.ok).toBe(true);
    const id = created.value!.id;
    const chenBanner = chen.page.locator(`[data-testid="callout-banner"][data-callout-id="${id}"]`);
    await chenBanner.waitFor();
    // Past the deadline the server escalates: Chen's banner is marked escalated and overdue…
    await expect.poll(() => chenBanner.textContent(), { timeout: 15_000 }).toContain('Escalated');
    expect(await chenBanner.textContent()).toMatch(/overdue \d+:\d\d/);
    // …the commander gets an escalation notice…
    const commanderBanner = ana.page.getByTestId('escalation-banner');
    await commanderBanner.waitFor({ timeout: 10_000 });
    expect(await commanderBanner.textContent()).toContain('Bo → Chen: Error budget for checkout burning 10x');
    // …and the sender sees the escalated state in the panel.
    await bo.page.getByTestId('tab-callouts').click();
    await bo.page.getByRole('tab', { name: 'Sent', exact: true }).click();
    const item = bo.page.locator(`[data-testid="callout-item"][data-callout-id="${id}"]`);
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 10_000 }).toBe('escalated');
    await screenshot(chen.page, 'callout-escalated-chen');
    await screenshot(ana.page, 'callout-escalated-commander');
    expect(env.pageErrors).toEqual([]);
  });
});
