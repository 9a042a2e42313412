import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '@redstring/model';
import { eventPage, filterEvents } from './event-list';

function event(id: string, text: string, actor: string | null, threadId = 'general'): TimelineEvent {
  return {
    id,
    time: Number(id),
    timeSource: 'recorded',
    recordedAt: Number(id),
    actor: actor ? { userId: actor.toLowerCase(), name: actor } : null,
    kind: 'card-created',
    text,
    cardIds: [],
    threadId,
  };
}

const events = [
  event('1', 'Raised hypothesis "Cache eviction storm"', 'Ana', 'hypothesis:h1'),
  event('2', 'Evidence "p99 checkout latency 4 s"', 'Tomas'),
  event('3', 'Hypothesis "Cache eviction storm": open → ruled out — hit rate flat', 'Tomas', 'hypothesis:h1'),
  event('4', 'Board closed', null),
];
const titles = new Map([['hypothesis:h1', 'Cache eviction storm']]);
const threadTitle = (id: string) => titles.get(id);
const ids = (list: readonly TimelineEvent[]) => list.map((e) => e.id);

describe('filterEvents', () => {
  it('keeps every event, the same list, for an empty or blank query', () => {
    expect(filterEvents(events, '', threadTitle)).toBe(events);
    expect(filterEvents(events, '   ', threadTitle)).toBe(events);
  });

  it('needs every word somewhere in the text, the actor or the thread title, in any case', () => {
    expect(ids(filterEvents(events, 'CHECKOUT', threadTitle))).toEqual(['2']);
    expect(ids(filterEvents(events, 'tomas ruled', threadTitle))).toEqual(['3']);
    expect(ids(filterEvents(events, 'tomas', threadTitle))).toEqual(['2', '3']);
    expect(ids(filterEvents(events, 'TOMAS eviction', threadTitle))).toEqual(['3']);
    expect(ids(filterEvents(events, 'ana latency', threadTitle))).toEqual([]);
  });

  it('finds events by their thread title even when the text does not name it', () => {
    const linked = [event('5', 'Evidence "hit rate 40 %"', 'Ana', 'hypothesis:h1')];
    expect(ids(filterEvents(linked, 'storm', threadTitle))).toEqual(['5']);
  });
});

describe('eventPage', () => {
  it('lists the first events oldest first, or the last ones newest first', () => {
    expect(ids(eventPage(events, 'oldest-first', 2))).toEqual(['1', '2']);
    expect(ids(eventPage(events, 'newest-first', 2))).toEqual(['4', '3']);
    expect(ids(eventPage(events, 'newest-first', 10))).toEqual(['4', '3', '2', '1']);
    expect(ids(eventPage(events, 'oldest-first', Infinity))).toEqual(['1', '2', '3', '4']);
  });
});
