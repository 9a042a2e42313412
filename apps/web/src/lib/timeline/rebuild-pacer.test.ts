import { describe, expect, it } from 'vitest';
import { type PacerClock, RebuildPacer } from './rebuild-pacer';

/** A clock the test moves by hand; `later` callbacks run when their time comes (the frame is immediate). */
class ManualClock implements PacerClock {
  time = 0;
  private pending: { at: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  later(ms: number, fn: () => void): () => void {
    const entry = { at: this.time + ms, fn, cancelled: false };
    this.pending.push(entry);
    return () => void (entry.cancelled = true);
  }

  /** Moves time forward to `to`, running what falls due on the way. */
  advance(to: number): void {
    for (;;) {
      const due = this.pending.filter((p) => !p.cancelled && p.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = Math.max(this.time, to);
  }
}

/** A rebuild that takes `cost` ms of the manual clock and records when it started. */
function setUp(cost: number) {
  const clock = new ManualClock();
  const starts: number[] = [];
  const pacer = new RebuildPacer(() => {
    starts.push(clock.time);
    clock.time += cost;
  }, clock);
  return { clock, starts, pacer };
}

describe('RebuildPacer', () => {
  it('serves every request made before a rebuild starts with that one rebuild', () => {
    const { clock, starts, pacer } = setUp(5);
    pacer.request();
    pacer.request();
    pacer.request();
    clock.advance(100);
    expect(starts).toEqual([0]);
  });

  it('waits as long as the last rebuild took before starting the next, from the second rebuild on', () => {
    const { clock, starts, pacer } = setUp(200);
    pacer.request();
    clock.advance(0); // the first (the page laid out from nothing) runs 0 → 200 and sets no pace
    pacer.request();
    clock.advance(200); // runs 200 → 400
    pacer.request(); // asked at 400: not before 600
    clock.advance(599);
    expect(starts).toEqual([0, 200]);
    clock.advance(600);
    expect(starts).toEqual([0, 200, 600]);
  });

  it('keeps a stream of changes to at most half of the time', () => {
    const { clock, starts, pacer } = setUp(150);
    for (let t = 0; t <= 3000; t += 16) {
      clock.advance(t);
      pacer.request(); // a remote change every frame
    }
    clock.advance(3000);
    const busy = starts.length * 150;
    expect(busy / 3000).toBeLessThanOrEqual(0.55);
    expect(starts.length).toBeGreaterThanOrEqual(9); // and it keeps up: a rebuild every ~300 ms
  });

  it('does not delay a change that comes after a quiet spell', () => {
    const { clock, starts, pacer } = setUp(50);
    pacer.request();
    clock.advance(1000);
    pacer.request();
    clock.advance(1000);
    expect(starts).toEqual([0, 1000]);
  });

  it('drops the pending rebuild on dispose, and a failed rebuild still paces the next', () => {
    const clock = new ManualClock();
    let calls = 0;
    const pacer = new RebuildPacer(() => {
      calls++;
      clock.time += 100;
      throw new Error('bad board');
    }, clock);
    pacer.request();
    expect(() => clock.advance(0)).toThrow('bad board'); // 0 → 100
    pacer.request();
    expect(() => clock.advance(100)).toThrow('bad board'); // 100 → 200
    pacer.request(); // not before 300
    clock.advance(250);
    expect(calls).toBe(2);
    pacer.dispose();
    clock.advance(1000);
    expect(calls).toBe(2);
  });
});
