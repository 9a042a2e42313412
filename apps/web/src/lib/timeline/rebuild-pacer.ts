// The timeline page rebuilds the whole timeline after each change: a few milliseconds on a small board,
// 100–200 ms on one with thousands of cards. Rebuilds run in an animation frame (all the changes of one
// frame make one rebuild), and after a rebuild that took d ms the next one waits until another d ms have
// passed: however fast other responders' edits stream in, the page stays free at least half the time to
// scroll, filter and print. The first rebuild is not counted: it also lays the page out from nothing, so
// its cost says nothing about the next one's (and an edit made just after the page opened would wait).

export interface PacerClock {
  now(): number;
  /** Runs `fn` in an animation frame at least `ms` from now; returns what cancels it. */
  later(ms: number, fn: () => void): () => void;
}

export const browserClock: PacerClock = {
  now: () => performance.now(),
  later(ms, fn) {
    let frame = 0;
    if (ms <= 0) {
      frame = requestAnimationFrame(fn);
      return () => cancelAnimationFrame(frame);
    }
    const timer = setTimeout(() => (frame = requestAnimationFrame(fn)), ms);
    return () => {
      clearTimeout(timer);
      cancelAnimationFrame(frame);
    };
  },
};

export class RebuildPacer {
  /** Before this time (clock.now()) the next rebuild does not start. */
  private readyAt = Number.NEGATIVE_INFINITY;
  private cancelPending: (() => void) | undefined;
  /** The first rebuild sets no pace (see above). */
  private laidOut = false;

  constructor(
    private readonly rebuild: () => void,
    private readonly clock: PacerClock = browserClock,
  ) {}

  /** Asks for a rebuild; every request made before it starts is served by that one rebuild. */
  request(): void {
    if (this.cancelPending) return;
    this.cancelPending = this.clock.later(Math.max(0, this.readyAt - this.clock.now()), () => this.run());
  }

  /** Drops a rebuild not yet started (the page is going away). */
  dispose(): void {
    this.cancelPending?.();
    this.cancelPending = undefined;
  }

  private run(): void {
    this.cancelPending = undefined;
    const started = this.clock.now();
    try {
      this.rebuild();
    } finally {
      const finished = this.clock.now();
      if (this.laidOut) this.readyAt = finished + (finished - started);
      this.laidOut = true;
    }
  }
}
