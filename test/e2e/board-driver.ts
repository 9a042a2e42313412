/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser and use its globals.)
// Drives the Redstring UI the way a responder does (clicks and keys), plus read-only access to the app's
// documented test hook (window.__redstring) to check what the board holds.
import type { BrowserContext, Page } from 'playwright-core';
import type { Card, CardKind, Link, StatusChange } from '@redstring/model';

export interface BoardState {
  cards: Card[];
  links: Link[];
  statusLog: StatusChange[];
  title: string | undefined;
}

export class BoardPage {
  constructor(
    readonly page: Page,
    readonly name: string,
  ) {}

  /** First visit: answer the name/colour question. */
  static async signIn(context: BrowserContext, name: string, colorIndex = 0, path = '/'): Promise<BoardPage> {
    const page = await context.newPage();
    await page.goto(path);
    await page.getByLabel('Display name').fill(name);
    await page.locator('.swatch').nth(colorIndex).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Display name').waitFor({ state: 'detached' });
    return new BoardPage(page, name);
  }

  async newInvestigation(): Promise<string> {
    // The home page has loaded the board list (the API answers) before we ask for a new board.
    await this.page.getByText('Loading your boards…').waitFor({ state: 'detached' });
    await this.page.getByTestId('new-investigation').click();
    const failure = this.page.locator('.toast.error');
    const outcome = await Promise.race([
      this.page.waitForURL(/\/b\/[^/#]+#edit=/, { timeout: 45_000 }).then(
        () => 'navigated' as const,
        () => 'timed out' as const,
      ),
      failure.waitFor({ timeout: 45_000 }).then(
        () => 'failed' as const,
        () => 'timed out' as const,
      ),
    ]);
    if (outcome === 'failed') throw new Error(`${this.name}: creating a board failed: ${await failure.textContent()}`);
    if (outcome !== 'navigated') throw new Error(`${this.name}: "New investigation" did not open a board`);
    await this.waitLoaded();
    return this.page.url();
  }

  async open(link: string): Promise<void> {
    await this.page.goto(link);
    await this.waitLoaded();
  }

  async waitLoaded(): Promise<void> {
    await this.page.waitForFunction(() => {
      const hook = (window as unknown as { __redstring?: { connection: { loaded: boolean; access?: string } } }).__redstring;
      return !!hook && hook.connection.loaded && hook.connection.access !== undefined;
    });
  }

  async state(): Promise<BoardState> {
    return this.page.evaluate(() => {
      const hook = (window as unknown as { __redstring: { mirror: { cards: Map<string, unknown>; links: Map<string, unknown>; statusLog: unknown[]; meta?: { title: string } } } })
        .__redstring;
      return {
        cards: [...hook.mirror.cards.values()],
        links: [...hook.mirror.links.values()],
        statusLog: hook.mirror.statusLog,
        title: hook.mirror.meta?.title,
      } as BoardState;
    });
  }

  /** Waits until `predicate(state)` holds (polling the hook), returning that state. */
  async waitFor(predicate: (s: BoardState) => boolean, what: string, timeoutMs = 10_000): Promise<BoardState> {
    const deadline = Date.now() + timeoutMs;
    let last: BoardState | undefined;
    while (Date.now() < deadline) {
      last = await this.state();
      if (predicate(last)) return last;
      await this.page.waitForTimeout(50);
    }
    throw new Error(`${this.name}: timed out waiting for ${what}. Last state: ${JSON.stringify(last, null, 1).slice(0, 2000)}`);
  }

  /** Creates a card with the toolbar button, types its title (and body), and returns its id. */
  async addCard(kind: CardKind, title: string, body?: string): Promise<string> {
    const before = new Set((await this.state()).cards.map((c) => c.id));
    await this.page.getByTestId(`add-${kind}`).click();
    const titleBox = this.page.getByTestId('card-title-input');
    await titleBox.waitFor();
    await titleBox.pressSequentially(title, { delay: 5 });
    if (body !== undefined) {
      await this.page.keyboard.press('Enter');
      await this.page.getByTestId('card-body-input').pressSequentially(body, { delay: 2 });
    }
    await this.page.keyboard.press('Escape');
    await titleBox.waitFor({ state: 'detached' });
    const s = await this.waitFor((st) => st.cards.some((c) => !before.has(c.id) && c.title === title), `card "${title}"`);
    const card = s.cards.find((c) => !before.has(c.id) && c.title === title);
    if (!card) throw new Error('card vanished');
    return card.id;
  }

  async cardRect(id: string): Promise<{ x: number; y: number; w: number; h: number }> {
    const r = await this.page.evaluate((cardId) => {
      const hook = (window as unknown as { __redstring: { cardScreenRect(id: string): { x: number; y: number; w: number; h: number } | undefined } }).__redstring;
      return hook.cardScreenRect(cardId);
    }, id);
    if (!r) throw new Error(`${this.name}: card ${id} is not on the canvas`);
    return r;
  }

  /** Drags a card by its header by (dx, dy) screen pixels. */
  async dragCard(id: string, dx: number, dy: number): Promise<void> {
    const r = await this.cardRect(id);
    const start = { x: r.x + r.w / 2, y: r.y + 50 };
    await this.page.mouse.move(start.x, start.y);
    await this.page.mouse.down();
    for (let i = 1; i <= 8; i++) await this.page.mouse.move(start.x + (dx * i) / 8, start.y + (dy * i) / 8);
    await this.page.mouse.up();
  }

  /** Drags a card so that its centre lands at (fx, fy) as fractions of the canvas's width and height. */
  async placeCard(id: string, fx: number, fy: number): Promise<void> {
    const box = await this.page.getByTestId('board-canvas').boundingBox();
    if (!box) throw new Error('no canvas');
    const r = await this.cardRect(id);
    await this.dragCard(id, box.x + box.width * fx - (r.x + r.w / 2), box.y + box.height * fy - (r.y + r.h / 2));
  }

  async clickCard(id: string): Promise<void> {
    const r = await this.cardRect(id);
    await this.page.mouse.click(r.x + r.w / 2, r.y + r.h - 20);
  }

  /** Drags from a card's link handle onto another card and picks the relation. */
  async linkCards(fromId: string, toId: string, relation: string): Promise<void> {
    await this.clickCard(fromId);
    const from = await this.cardRect(fromId);
    const to = await this.cardRect(toId);
    const handle = { x: from.x + from.w + 14, y: from.y + from.h / 2 };
    await this.page.mouse.move(handle.x, handle.y);
    await this.page.mouse.down();
    const target = { x: to.x + to.w / 2, y: to.y + to.h / 2 };
    for (let i = 1; i <= 10; i++) await this.page.mouse.move(handle.x + ((target.x - handle.x) * i) / 10, handle.y + ((target.y - handle.y) * i) / 10);
    await this.page.mouse.up();
    await this.page.getByTestId('relation-picker').locator(`[data-relation="${relation}"]`).click();
  }

  /** Double-clicks a card's title and types at the end. */
  async appendToTitle(id: string, text: string): Promise<void> {
    const r = await this.cardRect(id);
    await this.page.mouse.dblclick(r.x + 40, r.y + 44);
    const titleBox = this.page.getByTestId('card-title-input');
    await titleBox.waitFor();
    await this.page.keyboard.press('End');
    await titleBox.pressSequentially(text, { delay: 5 });
    await this.page.keyboard.press('Escape');
    await titleBox.waitFor({ state: 'detached' });
  }

  async saveState(): Promise<string | null> {
    return this.page.getByTestId('save-state').getAttribute('data-state');
  }

  async connectionState(): Promise<string | null> {
    return this.page.getByTestId('connection-state').getAttribute('data-state');
  }
}
