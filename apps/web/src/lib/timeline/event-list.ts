// What the timeline page lists. A big board has tens of thousands of events; drawing every one as a row
// took the page 5.5 s to open on a 5,000-card board (10,001 events) and 0.7 s to redraw on each remote
// edit. The page lists a page of them and lets the reader filter, flip the order and ask for more.
import type { TimelineEvent } from '@redstring/model';

/** Rows listed at first, and added by each "Show more". */
export const EVENT_PAGE_SIZE = 500;

export type EventOrder = 'oldest-first' | 'newest-first';

export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * Events whose text, actor or thread title contains every word of the query (any case), in timeline
 * order; all of them for an empty query. The same matching as find on the board.
 */
export function filterEvents(
  events: readonly TimelineEvent[],
  query: string,
  threadTitle: (threadId: string) => string | undefined,
): readonly TimelineEvent[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return events;
  return events.filter((e) => {
    const haystack = `${e.text}\n${e.actor?.name ?? ''}\n${threadTitle(e.threadId) ?? ''}`.toLowerCase();
    return terms.every((term) => haystack.includes(term));
  });
}

/** The first `limit` events in the reader's order. */
export function eventPage(events: readonly TimelineEvent[], order: EventOrder, limit: number): TimelineEvent[] {
  if (order === 'oldest-first') return events.slice(0, limit);
  const page: TimelineEvent[] = [];
  for (let i = events.length - 1; i >= 0 && page.length < limit; i--) page.push(events[i] as TimelineEvent);
  return page;
}
