/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Remote move → paint: one responder's page moves a card through the real server; another responder's
// page records the frame in which its board layer drew the card at the new place. Both pages run in one
// Chromium on one machine, so performance.timeOrigin + performance.now() is one clock for both.
import type { Page } from '../../../../test/helpers/chromium';
import type { HookWindow } from './hook';

type PaintLog = { x: number; at: number }[];
type PaintWindow = HookWindow & { __paints?: PaintLog };

/** Starts recording, in `observer`, when each new x of the card was first painted. */
export async function watchPaints(observer: Page, cardId: string): Promise<void> {
  await observer.evaluate((cardId) => {
    const w = window as unknown as PaintWindow;
    const hook = w.__redstring;
    const paints: PaintLog = [];
    w.__paints = paints;
    let lastX = hook.mirror.cards.get(cardId)?.x;
    hook.canvas.onDraw(({ at }) => {
      const x = hook.mirror.cards.get(cardId)?.x;
      if (x === undefined || x === lastX) return;
      lastX = x;
      paints.push({ x, at: performance.timeOrigin + at });
    });
  }, cardId);
}

/**
 * Moves the card `moves` times from `sender` (alternately right and left by 40 units, `gapMs` apart) and
 * returns each move's latency in ms: sent → painted by the observer.
 */
export async function measureRemoteMoves(sender: Page, observer: Page, cardId: string, moves: number, gapMs = 80): Promise<number[]> {
  const start = await sender.evaluate((id) => (window as unknown as HookWindow).__redstring.mirror.cards.get(id)!, cardId);
  const latencies: number[] = [];
  for (let i = 0; i < moves; i++) {
    const x = start.x + (i % 2 === 0 ? 40 : 0);
    const sentAt = await sender.evaluate(
      ({ id, x, y }) => {
        const at = performance.timeOrigin + performance.now();
        (window as unknown as HookWindow).__redstring.boardDoc.moveCards([{ id, x, y }]);
        return at;
      },
      { id: cardId, x, y: start.y },
    );
    const handle = await observer.waitForFunction(
      (x) => (window as unknown as PaintWindow).__paints?.find((p) => p.x === x)?.at,
      x,
      { timeout: 10_000, polling: 5 },
    );
    const paintedAt = (await handle.jsonValue()) as number;
    latencies.push(paintedAt - sentAt);
    await observer.evaluate(() => ((window as unknown as PaintWindow).__paints!.length = 0));
    await sender.waitForTimeout(gapMs);
  }
  return latencies;
}
