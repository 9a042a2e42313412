// The slice of the app's test hook (window.__redstring, documented in apps/web/README.md) the benchmark uses.
export interface Viewport {
  x: number;
  y: number;
  scale: number;
}

export interface BenchHook {
  boardDoc: {
    transact(fn: () => void): void;
    createCard(input: Record<string, unknown>): string;
    link(from: string, to: string, relation: string): string;
    moveCards(moves: { id: string; x: number; y: number }[]): void;
    editText(id: string, field: 'title' | 'body', index: number, deleteCount: number, insert?: string): void;
  };
  mirror: { cards: Map<string, { id: string; x: number; y: number }> };
  connection: { loaded: boolean; saveState: string };
  canvas: {
    getViewport(): Viewport;
    setViewport(v: Viewport): void;
    zoomToFit(): void;
    zoomTo(scale: number): void;
    revealCard(id: string): void;
    drawNow(): void;
    onDraw(listener: (info: { at: number }) => void): () => void;
  };
  stats(): { visibleCards: number; lastDrawMs: number; draws: number; cards: number; firstCardsDrawAt: number | null };
  cardScreenRect(id: string): { x: number; y: number; w: number; h: number } | undefined;
}

export type HookWindow = Window & { __redstring: BenchHook };
