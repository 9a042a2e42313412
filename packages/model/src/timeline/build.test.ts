import { describe, expect, it } from 'vitest';
import { buildTimeline } from './build';
import { at, TestBoard } from './test-board';
import type { Timeline } from './types';

const kinds = (t: Timeline) => t.events.map((e) => e.kind);
const texts = (t: Timeline) => t.events.map((e) => e.text);

function team(): TestBoard {
  return new TestBoard().person('ana', 'Ana').person('bo', 'Bo').person('chen', 'Chen');
}

/** Fisher–Yates with a fixed LCG, so the "shuffled input" case is the same on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('event order', () => {
  it('places evidence at the time it was observed, before things posted earlier', () => {
    const b = team();
    b.hypothesis('Payment provider degraded', 'bo', at('09:01'));
    b.evidence('p99 latency 4 s', 'ana', at('09:02'), at('08:55'));
    const t = buildTimeline(b.input());
    expect(texts(t)).toEqual([
      'Evidence "p99 latency 4 s"',
      'Opened the board "Test board"',
      'Raised hypothesis "Payment provider degraded"',
    ]);
    const [evidence] = t.events;
    expect(evidence).toMatchObject({ time: at('08:55'), timeSource: 'observed', recordedAt: at('09:02') });
    expect(t.span.start).toBe(at('08:55'));
  });

  it('keeps when the team noticed it, only when that is a third distinct time', () => {
    const b = team();
    b.card({ kind: 'evidence', title: 'errors', author: 'ana', createdAt: at('09:05'), observedAt: at('09:00'), noticedAt: at('09:03') });
    b.card({ kind: 'evidence', title: 'same', author: 'ana', createdAt: at('09:06'), observedAt: at('09:01'), noticedAt: at('09:06') });
    const t = buildTimeline(b.input());
    const [errors, same] = t.events.filter((e) => e.kind === 'card-created');
    expect(errors?.noticedAt).toBe(at('09:03'));
    expect(same?.noticedAt).toBeUndefined();
  });

  it('breaks ties by recording time, then kind, then id — identically for any input order', () => {
    const b = team();
    // Two pieces of evidence observed at the same moment, posted at different times.
    b.evidence('posted later', 'ana', at('09:04'), at('09:01'), 'ev-z');
    b.evidence('posted first', 'bo', at('09:02'), at('09:01'), 'ev-y');
    // A hypothesis created and moved to investigating in the same millisecond: creation comes first.
    const h = b.hypothesis('same ms', 'chen', at('09:03'), 'h-a');
    b.status(h, 'investigating', 'chen', at('09:03'));
    // Two cards with identical times: by id.
    b.card({ kind: 'note', title: 'note b', author: 'ana', createdAt: at('09:05'), id: 'n-b' });
    b.card({ kind: 'note', title: 'note a', author: 'ana', createdAt: at('09:05'), id: 'n-a' });
    b.link('n-a', 'supports', h, 'ana', at('09:06'));
    b.callout({ from: { userId: 'ana', name: 'Ana' }, to: { kind: 'user', userId: 'bo', name: 'Bo' }, createdAt: at('09:06') });
    b.role('commander', 'ana', 'Ana', at('09:06'));

    const input = b.input();
    const t = buildTimeline(input);
    expect(texts(t).slice(0, 7)).toEqual([
      'Opened the board "Test board"',
      'Evidence "posted first"',
      'Evidence "posted later"',
      'Raised hypothesis "same ms"',
      'Hypothesis "same ms": open → investigating',
      'Noted "note a"',
      'Noted "note b"',
    ]);
    expect(kinds(t).slice(7)).toEqual(['link-created', 'callout-sent', 'role-taken']);

    for (const seed of [1, 2, 3]) {
      const again = buildTimeline({
        board: {
          ...input.board,
          cards: shuffled(input.board.cards, seed),
          links: shuffled(input.board.links, seed),
          statusLog: shuffled(input.board.statusLog, seed),
          participants: shuffled(input.board.participants, seed),
        },
        callouts: shuffled(input.callouts, seed),
        roles: shuffled(input.roles, seed),
      });
      expect(again).toEqual(t);
    }
  });

  it('falls back to the posting time for missing or invalid observed times, and lists timeless events last', () => {
    const b = team();
    b.evidence('no observed time', 'ana', at('09:03'));
    b.card({ kind: 'evidence', title: 'NaN observed', author: 'ana', createdAt: at('09:02'), observedAt: Number.NaN });
    b.card({ kind: 'evidence', title: 'text observed', author: 'ana', createdAt: at('09:01'), observedAt: '08:00' as unknown as number });
    b.card({ kind: 'note', title: 'no time at all', author: 'bo', createdAt: Number.POSITIVE_INFINITY });
    b.card({ kind: 'note', title: 'late note', author: 'bo', createdAt: at('10:00') });
    const t = buildTimeline(b.input());
    expect(texts(t)).toEqual([
      'Opened the board "Test board"',
      'Evidence "text observed"',
      'Evidence "NaN observed"',
      'Evidence "no observed time"',
      'Noted "late note"',
      'Noted "no time at all"',
    ]);
    expect(t.events.slice(1, 4).map((e) => [e.time, e.timeSource])).toEqual([
      [at('09:01'), 'recorded'],
      [at('09:02'), 'recorded'],
      [at('09:03'), 'recorded'],
    ]);
    expect(t.events.at(-1)).toMatchObject({ time: null, recordedAt: null });
    expect(t.warnings.filter((w) => w.code === 'invalid-time')).toHaveLength(1);
    expect(t.span).toEqual({ start: at('09:00'), end: at('10:00'), durationMs: 3_600_000 });
  });

  it('gives every event an id derived from its record', () => {
    const b = team();
    const h = b.hypothesis('H', 'bo', at('09:01'), 'h1');
    b.status(h, 'ruled-out', 'bo', at('09:02'));
    const t = buildTimeline(b.input());
    expect(t.events.map((e) => e.id)).toEqual(['board:board-1:created', 'card:h1', `status:${b.statusLog[0]?.id}`]);
    expect(new Set(t.events.map((e) => e.id)).size).toBe(t.events.length);
  });
});

describe('threads', () => {
  function board() {
    const b = team();
    const theory = b.card({ kind: 'theory', title: 'Capacity', author: 'ana', createdAt: at('09:01'), id: 'theory' });
    const inTheory = b.hypothesis('DB pool exhausted', 'bo', at('09:02'), 'h-pool');
    b.link(inTheory, 'part-of', theory, 'bo', at('09:02:10'));
    const free = b.hypothesis('Bad deploy', 'chen', at('09:03'), 'h-deploy');
    const forPool = b.evidence('pool at 100%', 'bo', at('09:04'), at('09:03:30'), 'ev-pool');
    b.link(forPool, 'supports', inTheory, 'bo', at('09:04:10'));
    const forDeploy = b.evidence('deploy at 08:58', 'chen', at('09:05'), at('08:58'), 'ev-deploy');
    b.link(forDeploy, 'refutes', free, 'chen', at('09:05:10'));
    b.card({ kind: 'note', title: 'standup moved', author: 'ana', createdAt: at('09:06'), id: 'note' });
    b.status(free, 'ruled-out', 'chen', at('09:07'));
    return b;
  }

  it('follows each theory and free-standing hypothesis in its own thread, the rest in general', () => {
    const t = buildTimeline(board().input());
    expect(t.threads.map((th) => [th.id, th.kind, th.title])).toEqual([
      ['general', 'general', 'General'],
      ['theory:theory', 'theory', 'Capacity'],
      ['hypothesis:h-deploy', 'hypothesis', 'Bad deploy'],
    ]);
    const byCard = (id: string) => t.events.find((e) => e.id === `card:${id}`)?.threadId;
    expect(byCard('h-pool')).toBe('theory:theory');
    expect(byCard('ev-pool')).toBe('theory:theory');
    expect(byCard('ev-deploy')).toBe('hypothesis:h-deploy');
    expect(byCard('note')).toBe('general');
    expect(t.threads[1]?.hypotheses).toEqual([{ cardId: 'h-pool', title: 'DB pool exhausted', status: 'open' }]);
    expect(t.threads[2]?.hypotheses).toEqual([{ cardId: 'h-deploy', title: 'Bad deploy', status: 'ruled-out' }]);
  });

  it('lists each thread\'s events in timeline order, with its first and last time', () => {
    const t = buildTimeline(board().input());
    const deploy = t.threads.find((th) => th.id === 'hypothesis:h-deploy');
    const order = t.events.map((e) => e.id);
    expect(deploy?.eventIds).toEqual(order.filter((id) => t.events.find((e) => e.id === id)?.threadId === 'hypothesis:h-deploy'));
    expect(deploy?.eventIds[0]).toBe('card:ev-deploy'); // observed 08:58, before the hypothesis was raised
    expect([deploy?.start, deploy?.end]).toEqual([at('08:58'), at('09:07')]);
    const total = t.threads.reduce((n, th) => n + th.eventIds.length, 0);
    expect(total).toBe(t.events.length);
  });

  it('joins a card to the thread of its own earliest qualifying link first, then of the earliest pointing at it', () => {
    const b = team();
    const h1 = b.hypothesis('H1', 'ana', at('09:01'), 'h1');
    const h2 = b.hypothesis('H2', 'ana', at('09:01:30'), 'h2');
    const ev = b.evidence('own link wins', 'bo', at('09:02'), at('09:02'), 'ev');
    const note = b.card({ kind: 'note', title: 'only linked to', author: 'bo', createdAt: at('09:02'), id: 'note' });
    const late = b.evidence('deleted target skipped', 'bo', at('09:02'), at('09:02'), 'late');
    b.link(h1, 'supports', ev, 'ana', at('09:03')); // older, but pointing at ev
    b.link(ev, 'refutes', h2, 'bo', at('09:05'));
    b.link(note, 'leads-to', h2, 'bo', at('09:03')); // not a joining relation
    b.link(h1, 'part-of', note, 'ana', at('09:04'));
    b.link(h2, 'supports', h1, 'ana', at('09:03')); // a hypothesis follows part-of links only
    b.link(late, 'supports', 'deleted-card', 'bo', at('09:03'));
    b.link(late, 'supports', h1, 'bo', at('09:04'));
    const t = buildTimeline(b.input());
    const byCard = (id: string) => t.events.find((e) => e.id === `card:${id}`)?.threadId;
    expect(byCard('ev')).toBe('hypothesis:h2');
    expect(byCard('note')).toBe('hypothesis:h1');
    expect(byCard('h2')).toBe('hypothesis:h2');
    expect(byCard('late')).toBe('hypothesis:h1');
    expect(t.threads.map((th) => th.id)).toEqual(['general', 'hypothesis:h1', 'hypothesis:h2']);
  });

  it('survives part-of cycles and self-links', () => {
    const b = team();
    const a = b.hypothesis('A', 'ana', at('09:01'), 'a');
    const c = b.hypothesis('B', 'ana', at('09:02'), 'b');
    b.link(a, 'part-of', c, 'ana', at('09:03'));
    b.link(c, 'part-of', a, 'ana', at('09:03'));
    b.link(a, 'part-of', a, 'ana', at('09:03'));
    const t = buildTimeline(b.input());
    expect(t.threads.map((th) => th.id)).toEqual(['general', 'hypothesis:a']);
    expect(t.threads[1]?.hypotheses.map((h) => h.cardId)).toEqual(['a', 'b']);
  });
});

describe('false leads', () => {
  it('records who raised a ruled-out hypothesis, when, what it cost, why and what refuted it', () => {
    const b = team();
    const h = b.hypothesis('Payment provider degraded', 'bo', at('09:04'), 'h1');
    b.status(h, 'investigating', 'bo', at('09:05'));
    const green = b.evidence('Provider status green', 'bo', at('09:07'), at('09:06:30'), 'ev1');
    b.link(green, 'refutes', h, 'bo', at('09:07'));
    b.status(h, 'ruled-out', 'chen', at('09:07'), 'provider status green');
    // Reopened and ruled out again: the first ruling counts.
    b.status(h, 'investigating', 'ana', at('09:20'));
    b.status(h, 'ruled-out', 'ana', at('09:25'), 'still green');
    const t = buildTimeline(b.input());
    expect(t.falseLeads).toEqual([
      {
        cardId: 'h1',
        title: 'Payment provider degraded',
        raisedBy: { userId: 'bo', name: 'Bo' },
        raisedAt: at('09:04'),
        ruledOutAt: at('09:07'),
        ruledOutBy: { userId: 'chen', name: 'Chen' },
        costMs: 3 * 60_000,
        reason: 'provider status green',
        refutedBy: [{ cardId: 'ev1', title: 'Provider status green' }],
        threadId: 'hypothesis:h1',
      },
    ]);
  });

  it('does not count a hypothesis that was ruled out and then confirmed', () => {
    const b = team();
    const h = b.hypothesis('Cache eviction', 'chen', at('09:04'));
    b.status(h, 'ruled-out', 'bo', at('09:05'));
    b.status(h, 'confirmed', 'chen', at('09:10'));
    expect(buildTimeline(b.input()).falseLeads).toEqual([]);
  });
});

describe('callouts', () => {
  const ana = { userId: 'ana', name: 'Ana' };
  const chen = { userId: 'chen', name: 'Chen' };

  it('measures acknowledgement latency and flags how each callout ended', () => {
    const b = team();
    b.callout({
      id: 'acked',
      from: chen,
      to: { kind: 'user', userId: 'ana', name: 'Ana' },
      createdAt: at('09:05'),
      state: 'acknowledged',
      acknowledgedAt: at('09:05:40'),
      acknowledgedBy: ana,
      readBack: 'roll back 8812',
    });
    b.callout({ id: 'open', from: ana, to: { kind: 'role', role: 'scribe' }, createdAt: at('09:06') });
    b.callout({ id: 'escalated', from: ana, to: { kind: 'user', userId: 'bo', name: 'Bo' }, createdAt: at('09:07'), state: 'escalated', escalatedAt: at('09:08') });
    b.callout({ id: 'withdrawn', from: ana, to: { kind: 'user', userId: 'bo', name: 'Bo' }, createdAt: at('09:08'), state: 'withdrawn', withdrawnAt: at('09:08:30'), withdrawReason: 'fixed itself' });
    b.callout({
      id: 'late',
      from: ana,
      to: { kind: 'user', userId: 'chen', name: 'Chen' },
      createdAt: at('09:09'),
      ackDeadline: at('09:10'),
      state: 'closed',
      escalatedAt: at('09:10'),
      acknowledgedAt: at('09:12'),
      acknowledgedBy: chen,
      closedAt: at('09:13'),
      closedBy: 'ana',
    });
    const t = buildTimeline(b.input());
    const flags = t.callouts.map((c) => [c.id, c.ackLatencyMs, c.unacknowledged, c.escalated, c.withdrawn, c.lateAck]);
    expect(flags).toEqual([
      ['acked', 40_000, false, false, false, false],
      ['open', null, true, false, false, false],
      ['escalated', null, true, true, false, false],
      ['withdrawn', null, false, false, true, false],
      ['late', 180_000, false, true, false, true],
    ]);
    expect(t.callouts[0]).toMatchObject({ from: chen, to: { kind: 'user', userId: 'ana', label: 'Ana' }, readBack: 'roll back 8812' });
    expect(t.callouts[1]?.to).toEqual({ kind: 'role', role: 'scribe', label: 'the scribe' });
    expect(t.events.filter((e) => e.calloutId === 'late').map((e) => [e.kind, e.actor?.name ?? null])).toEqual([
      ['callout-sent', 'Ana'],
      ['callout-escalated', null],
      ['callout-acknowledged', 'Chen'],
      ['callout-closed', 'Ana'],
    ]);
    expect(t.events.find((e) => e.id === 'callout:withdrawn:withdrawn')?.text).toBe('Withdrew callout to Bo — fixed itself');
  });

  it('places a callout about a card in that card\'s thread', () => {
    const b = team();
    const h = b.hypothesis('Cache eviction', 'chen', at('09:04'), 'h2');
    b.callout({ from: chen, to: { kind: 'user', userId: 'ana', name: 'Ana' }, createdAt: at('09:05'), cardId: h });
    expect(buildTimeline(b.input()).events.find((e) => e.kind === 'callout-sent')?.threadId).toBe('hypothesis:h2');
  });
});

describe('contributors, mitigators and the triggering event', () => {
  function board() {
    const b = team();
    const latency = b.evidence('p99 latency 4 s', 'ana', at('09:02'), at('08:55'), 'latency');
    const deploy = b.evidence('Deploy 8812', 'chen', at('09:04'), at('08:50'), 'deploy');
    const flag = b.card({ kind: 'note', title: 'Feature flag on for all', author: 'bo', createdAt: at('09:05'), id: 'flag' });
    const storm = b.hypothesis('Cache eviction storm', 'chen', at('09:04'), 'storm');
    const wrong = b.hypothesis('Provider degraded', 'bo', at('09:04'), 'wrong');
    b.link(deploy, 'triggers', latency, 'chen', at('09:06'));
    b.link(flag, 'enables', latency, 'bo', at('09:06'));
    b.link(storm, 'leads-to', latency, 'chen', at('09:06'));
    b.link(wrong, 'leads-to', latency, 'bo', at('09:06'));
    b.status(storm, 'confirmed', 'chen', at('09:12'));
    b.status(wrong, 'ruled-out', 'bo', at('09:07'));
    const rollback = b.card({ kind: 'action', title: 'Roll back 8812', author: 'chen', createdAt: at('09:06'), owner: 'ana', actionState: 'done', doneAt: at('09:09'), id: 'rollback' });
    const scale = b.card({ kind: 'action', title: 'Scale cache', author: 'bo', createdAt: at('09:07'), actionState: 'planned', id: 'scale' });
    b.link(rollback, 'mitigates', latency, 'chen', at('09:06'));
    b.link(scale, 'mitigates', latency, 'bo', at('09:07'));
    return b;
  }

  it('lists triggers, enablers, what led to it and confirmed hypotheses, but not ruled-out ones', () => {
    const t = buildTimeline(board().input());
    expect(t.contributors.map((c) => [c.cardId, c.roles, c.affects.map((a) => a.cardId)])).toEqual([
      ['deploy', ['trigger'], ['latency']],
      ['storm', ['led-to', 'confirmed-hypothesis'], ['latency']],
      ['flag', ['enabler'], ['latency']],
    ]);
  });

  it('lists mitigations with their state, owner and when they were done', () => {
    const t = buildTimeline(board().input());
    expect(t.mitigators).toEqual([
      {
        cardId: 'rollback',
        kind: 'action',
        title: 'Roll back 8812',
        mitigates: [{ cardId: 'latency', title: 'p99 latency 4 s' }],
        actionState: 'done',
        doneAt: at('09:09'),
        owner: { userId: 'ana', name: 'Ana' },
        author: { userId: 'chen', name: 'Chen' },
      },
      {
        cardId: 'scale',
        kind: 'action',
        title: 'Scale cache',
        mitigates: [{ cardId: 'latency', title: 'p99 latency 4 s' }],
        actionState: 'planned',
        author: { userId: 'bo', name: 'Bo' },
      },
    ]);
    const done = buildTimeline(board().input()).events.find((e) => e.kind === 'action-done');
    expect(done).toMatchObject({ time: at('09:09'), text: 'Done: "Roll back 8812"', actor: { name: 'Ana' } });
  });

  it('names the card behind a triggers link as the triggering event, else the earliest evidence', () => {
    expect(buildTimeline(board().input()).triggeringEvent).toEqual({
      cardId: 'deploy',
      title: 'Deploy 8812',
      time: at('08:50'),
      basis: 'trigger-link',
      triggers: [{ cardId: 'latency', title: 'p99 latency 4 s' }],
    });
    const b = team();
    b.evidence('second', 'ana', at('09:01'), at('08:40'), 'second');
    b.evidence('first', 'ana', at('09:05'), at('08:30'), 'first');
    expect(buildTimeline(b.input()).triggeringEvent).toMatchObject({ cardId: 'first', basis: 'first-evidence', time: at('08:30') });
    expect(buildTimeline(team().input()).triggeringEvent).toBeNull();
  });

  it('collects follow-ups and unanswered questions', () => {
    const b = team();
    b.card({ kind: 'action', title: 'Add canary check', author: 'bo', createdAt: at('09:10'), followUp: true, owner: 'chen', actionState: 'planned', id: 'fu' });
    b.card({ kind: 'question', title: 'Why no alert?', author: 'ana', createdAt: at('09:11'), id: 'q-open' });
    b.card({ kind: 'question', title: 'Which region?', author: 'ana', createdAt: at('09:12'), answered: true, id: 'q-done' });
    const t = buildTimeline(b.input());
    expect(t.followUps).toEqual([
      { cardId: 'fu', kind: 'action', title: 'Add canary check', author: { userId: 'bo', name: 'Bo' }, owner: { userId: 'chen', name: 'Chen' }, actionState: 'planned' },
    ]);
    expect(t.openQuestions).toEqual([{ cardId: 'q-open', title: 'Why no alert?', askedBy: { userId: 'ana', name: 'Ana' }, askedAt: at('09:11') }]);
  });
});

describe('participants', () => {
  it('counts what each person did and the roles they held, including people who never opened the board', () => {
    const b = team();
    const h = b.hypothesis('H', 'bo', at('09:01'));
    const e = b.evidence('E', 'chen', at('09:02'), at('09:01'));
    b.link(e, 'supports', h, 'chen', at('09:03'));
    b.status(h, 'confirmed', 'ana', at('09:04'));
    b.callout({ from: { userId: 'bo', name: 'Bo' }, to: { kind: 'user', userId: 'ana', name: 'Ana' }, createdAt: at('09:05'), state: 'acknowledged', acknowledgedAt: at('09:05:10'), acknowledgedBy: { userId: 'ana', name: 'Ana' } });
    b.role('commander', 'ana', 'Ana', at('09:00'), { handedOverAt: at('09:30') });
    b.role('commander', 'dana', 'Dana', at('09:30'), { assignedBy: 'ana' });
    const t = buildTimeline(b.input());
    expect(t.participants.map((p) => p.name)).toEqual(['Ana', 'Bo', 'Chen', 'Dana']);
    const [ana, bo, chen, dana] = t.participants;
    expect(ana?.activity).toMatchObject({ statusChanges: 1, calloutsAcknowledged: 1, cardsCreated: 0 });
    expect(bo?.activity).toMatchObject({ hypothesesRaised: 1, cardsCreated: 1, calloutsSent: 1 });
    expect(chen?.activity).toMatchObject({ evidenceAdded: 1, linksCreated: 1 });
    expect(ana?.roles).toEqual([{ role: 'commander', takenAt: at('09:00'), handedOverAt: at('09:30'), assignedBy: { userId: 'ana', name: 'Ana' } }]);
    expect(dana?.roles).toEqual([{ role: 'commander', takenAt: at('09:30'), assignedBy: { userId: 'ana', name: 'Ana' } }]);
    expect(texts(t).slice(-2)).toEqual(['Handed over the commander role to Dana', 'Made Dana commander']);
  });
});

describe('purity', () => {
  it('does not modify its input and gives the same result twice', () => {
    const b = team();
    const h = b.hypothesis('H', 'bo', at('09:01'));
    b.status(h, 'ruled-out', 'bo', at('09:02'));
    b.link(h, 'leads-to', h, 'bo', at('09:03'));
    const input = b.input();
    const before = JSON.stringify(input);
    const first = buildTimeline(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(buildTimeline(input)).toEqual(first);
  });
});
