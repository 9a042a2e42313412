import { describe, expect, it } from 'vitest';
import { isPresenceState, throttleLatest, uniqueUsers } from './presence';

function fakeTimers() {
  let now = 0;
  const queue: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => queue.push({ at: now + ms, fn }),
    advance(ms: number) {
      now += ms;
      for (const t of queue.splice(0).sort((a, b) => a.at - b.at)) {
        if (t.at <= now) t.fn();
        else queue.push(t);
      }
    },
  };
}

describe('presence', () => {
  it('throttles cursor updates to one per interval and always delivers the latest', () => {
    const timers = fakeTimers();
    const sent: number[] = [];
    const send = throttleLatest((v: number) => sent.push(v), 33, timers);
    send(1);
    send(2);
    send(3);
    expect(sent).toEqual([1]);
    timers.advance(33);
    expect(sent).toEqual([1, 3]);
    timers.advance(100);
    send(4);
    expect(sent).toEqual([1, 3, 4]);
  });

  it('accepts only well-formed presence states', () => {
    expect(isPresenceState({ user: { userId: 'u', name: 'Ana', color: '#f00' } })).toBe(true);
    expect(isPresenceState({ user: { name: 'Ana' } })).toBe(false);
    expect(isPresenceState(null)).toBe(false);
  });

  it('lists each user once even with several tabs', () => {
    const ana = { userId: 'a', name: 'Ana', color: '#f00' };
    expect(uniqueUsers([ana, { ...ana }, { userId: 'b', name: 'Bo', color: '#00f' }]).map((u) => u.name)).toEqual(['Ana', 'Bo']);
  });
});
