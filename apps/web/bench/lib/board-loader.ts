/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Sets up benchmark boards: a session and boards through the HTTP API, then thousands of cards bulk-loaded
// through the app's documented test hook (window.__redstring), in batches so no single update exceeds the
// server's frame limit, and confirmed saved by the server.
import type { Page } from '../../../../test/helpers/chromium';
import type { HookWindow } from './hook';

export interface BenchIdentity {
  sessionToken: string;
  user: unknown;
}

export async function createSession(baseUrl: string, name: string): Promise<BenchIdentity> {
  const res = await fetch(`${baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, color: '#0090ff' }) });
  if (!res.ok) throw new Error(`session: ${res.status} ${await res.text()}`);
  return (await res.json()) as BenchIdentity;
}

/** Creates a board and returns its editor link. */
export async function createBoard(baseUrl: string, sessionToken: string, title: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-token': sessionToken }, body: JSON.stringify({ title }) });
  if (!res.ok) throw new Error(`board: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { editorLink: string }).editorLink;
}

export async function waitLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as HookWindow).__redstring?.connection.loaded === true, undefined, { timeout: 60_000 });
}

export async function waitSaved(page: Page, timeoutMs = 180_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as HookWindow).__redstring.connection.saveState === 'saved', undefined, { timeout: timeoutMs, polling: 100 });
}

/**
 * Lays `cards` cards out on a grid (all six kinds, titles, some bodies and evidence sources) and links
 * `links` pairs of neighbours, then waits until the server confirmed all of it.
 */
export async function bulkLoad(page: Page, cards: number, links: number): Promise<void> {
  await page.evaluate(
    async ({ cards, links }) => {
      const hook = (window as unknown as HookWindow).__redstring;
      const kinds = ['theory', 'hypothesis', 'evidence', 'action', 'question', 'note'];
      const columns = Math.ceil(Math.sqrt(cards * 1.5));
      const ids: string[] = [];
      const batch = 250;
      for (let start = 0; start < cards; start += batch) {
        hook.boardDoc.transact(() => {
          for (let i = start; i < Math.min(cards, start + batch); i++) {
            const kind = kinds[i % kinds.length]!;
            ids.push(
              hook.boardDoc.createCard({
                kind,
                title: `${kind} ${i}: latency on checkout-${i % 17} after deploy ${8800 + (i % 40)}`,
                body: i % 3 === 0 ? 'p99 went from 300 ms to 4 s; cache hit rate dropped to 40% at the same minute.' : '',
                x: (i % columns) * 300,
                y: Math.floor(i / columns) * 200,
                ...(kind === 'evidence' ? { source: { kind: 'query', value: `sum(rate(http_errors{svc="checkout-${i}"}[5m]))` }, observedAt: 1_700_000_000_000 + i * 1000 } : {}),
              }),
            );
          }
        });
        await new Promise((r) => setTimeout(r, 0));
      }
      const relations = ['supports', 'refutes', 'leads-to', 'triggers', 'mitigates'];
      for (let start = 0; start < links; start += batch) {
        hook.boardDoc.transact(() => {
          for (let i = start; i < Math.min(links, start + batch); i++) {
            const from = ids[i % ids.length]!;
            const to = ids[(i + 1 + (i % 3) * columns) % ids.length]!;
            if (from !== to) hook.boardDoc.link(from, to, relations[i % relations.length]!);
          }
        });
        await new Promise((r) => setTimeout(r, 0));
      }
    },
    { cards, links },
  );
  await waitSaved(page);
}
