// A seeded, realistic-looking large board for the benchmark: many parallel threads, evidence posted late
// with earlier observed times, long hypothesis histories, callouts in every state and role hand-overs.
// Every record passes its validator, as the server's would: none is skipped by buildTimeline.
import type { BoardSnapshot } from '../src/board-doc';
import type { Callout, CalloutState } from '../src/records/callout';
import type { Card, CardKind, HypothesisStatus } from '../src/records/card';
import { HYPOTHESIS_STATUSES } from '../src/records/card';
import type { Link, LinkRelation } from '../src/records/link';
import type { Participant } from '../src/records/participant';
import type { RoleAssignment, RoleName } from '../src/records/role';
import type { StatusChange } from '../src/records/status-change';
import { mulberry32 } from './mulberry32';

export interface BoardSize {
  cards: number;
  statusChanges: number;
  links: number;
  callouts: number;
  roleChanges: number;
  participants: number;
}

export const LARGE: BoardSize = { cards: 10_000, statusChanges: 50_000, links: 15_000, callouts: 1_000, roleChanges: 200, participants: 40 };
export const SMALL: BoardSize = { cards: 1_000, statusChanges: 5_000, links: 1_500, callouts: 100, roleChanges: 20, participants: 12 };

const START = Date.UTC(2025, 2, 14, 8, 0, 0);
const SPAN_MS = 8 * 3600_000;

export interface GeneratedBoard {
  board: BoardSnapshot;
  callouts: Callout[];
  roles: RoleAssignment[];
}

export function generateBoard(size: BoardSize, seed = 42): GeneratedBoard {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const time = () => START + int(SPAN_MS);

  const participants: Participant[] = [];
  for (let i = 0; i < size.participants; i++) {
    const p: Participant = { userId: `user-${i}`, name: `Responder ${i}`, color: '#3366cc', firstSeenAt: START, lastSeenAt: START + SPAN_MS };
    if (i % 10 === 3) p.clockOffsetMs = (random() - 0.5) * 600_000; // a few badly set clocks
    participants.push(p);
  }
  const user = () => pick(participants).userId;

  // Card mix: few theories, many hypotheses and evidence.
  const mix: [CardKind, number][] = [
    ['theory', 0.03],
    ['hypothesis', 0.25],
    ['evidence', 0.45],
    ['action', 0.15],
    ['question', 0.07],
    ['note', 0.05],
  ];
  const cards: Card[] = [];
  const byKind = new Map<CardKind, Card[]>();
  for (const [kind, share] of mix) {
    const count = Math.round(size.cards * share);
    const list: Card[] = [];
    for (let i = 0; i < count && cards.length < size.cards; i++) {
      const createdAt = time();
      const card: Card = {
        id: `${kind}-${i}`,
        kind,
        // Some titles carry characters the Markdown exporter must escape (metric names, pipes).
        title: `${kind} ${i}: ${pick(['latency', 'error rate', 'queue depth', 'cache', 'deploy', 'dns', 'disk', 'http_requests_total', 'p99 | p50'])} ${pick(['up', 'down', 'flat', 'spiky'])}`,
        body: '',
        author: user(),
        x: int(20_000),
        y: int(20_000),
        w: 240,
        h: 140,
        createdAt,
        updatedAt: createdAt,
      };
      if (kind === 'evidence') {
        if (random() < 0.9) card.observedAt = createdAt - int(30 * 60_000);
        if (random() < 0.3) card.noticedAt = createdAt - int(5 * 60_000);
        card.source = { kind: 'dashboard', value: `https://dashboards.example/d/${i}` };
      }
      if (kind === 'hypothesis') card.status = 'open';
      if (kind === 'action') {
        card.actionState = pick(['planned', 'in-progress', 'done', 'abandoned'] as const);
        if (card.actionState === 'done') card.doneAt = createdAt + int(60 * 60_000);
        card.owner = user();
        card.followUp = random() < 0.2;
      }
      if (kind === 'question') card.answered = random() < 0.6;
      cards.push(card);
      list.push(card);
    }
    byKind.set(kind, list);
  }
  const of = (kind: CardKind) => byKind.get(kind) ?? [];

  // Status histories: a random walk per hypothesis, with increasing times.
  const hypotheses = of('hypothesis');
  const statusLog: StatusChange[] = [];
  const perHypothesis = Math.ceil(size.statusChanges / Math.max(1, hypotheses.length));
  for (const h of hypotheses) {
    let current: HypothesisStatus = 'open';
    let at = h.createdAt;
    for (let i = 0; i < perHypothesis && statusLog.length < size.statusChanges; i++) {
      let next = pick(HYPOTHESIS_STATUSES);
      while (next === current) next = pick(HYPOTHESIS_STATUSES);
      at += 1 + int(10 * 60_000);
      statusLog.push({ id: `s-${statusLog.length}`, cardId: h.id, from: current, to: next, by: user(), at, reason: `step ${i}` });
      current = next;
    }
    h.status = current;
  }

  // Links: hypotheses part of theories, evidence for/against hypotheses, actions mitigating evidence,
  // causes linking evidence, and a few dangling links to deleted cards.
  const links: Link[] = [];
  const createdAt = new Map(cards.map((c) => [c.id, c.createdAt]));
  // A link is drawn after both of its cards exist (a deleted card's time is unknown: any time).
  const link = (from: string, relation: LinkRelation, to: string) => {
    const after = Math.max(createdAt.get(from) ?? START, createdAt.get(to) ?? START);
    links.push({ id: `l-${links.length}`, from, to, relation, author: user(), createdAt: after + int(20 * 60_000) });
  };
  for (const h of hypotheses) if (random() < 0.5 && of('theory').length > 0) link(h.id, 'part-of', pick(of('theory')).id);
  while (links.length < size.links) {
    const r = random();
    if (r < 0.6) link(pick(of('evidence')).id, random() < 0.7 ? 'supports' : 'refutes', pick(hypotheses).id);
    else if (r < 0.75) link(pick(of('action')).id, 'mitigates', pick(of('evidence')).id);
    else if (r < 0.95) link(pick(of('evidence')).id, pick(['triggers', 'enables', 'leads-to'] as const), pick(of('evidence')).id);
    else link(`deleted-${int(1000)}`, 'supports', pick(hypotheses).id);
  }

  const callouts: Callout[] = [];
  for (let i = 0; i < size.callouts; i++) {
    const createdAt = time();
    const state: CalloutState = pick(['open', 'escalated', 'acknowledged', 'closed', 'withdrawn'] as const);
    const from = pick(participants);
    const to = pick(participants);
    const c: Callout = {
      id: `c-${i}`,
      boardId: 'bench',
      from: { userId: from.userId, name: from.name },
      to: random() < 0.8 ? { kind: 'user', userId: to.userId, name: to.name } : { kind: 'role', role: 'commander' },
      issue: `issue ${i}, seen on the dashboard`,
      noticedHow: 'dashboard',
      intent: 'restart the worker',
      urgency: pick(['low', 'normal', 'high', 'critical'] as const),
      createdAt,
      ackDeadline: createdAt + 120_000,
      state,
      cardId: pick(hypotheses).id,
    };
    if (state === 'escalated') c.escalatedAt = c.ackDeadline;
    if (state === 'acknowledged' || state === 'closed') {
      c.acknowledgedAt = createdAt + int(300_000);
      c.acknowledgedBy = { userId: to.userId, name: to.name };
      c.readBack = 'restart the worker';
    }
    if (state === 'closed') {
      // The sender closes it (no random draw here, so every other record stays as it was).
      c.closedAt = (c.acknowledgedAt ?? createdAt) + 60_000;
      c.closedBy = from.userId;
    }
    if (state === 'withdrawn') c.withdrawnAt = createdAt + 30_000;
    callouts.push(c);
  }

  const roles: RoleAssignment[] = [];
  const roleNames: RoleName[] = ['commander', 'scribe', 'communications', 'responder', 'observer'];
  for (let i = 0; i < size.roleChanges; i++) {
    const holder = pick(participants);
    const takenAt = START + Math.floor((i / size.roleChanges) * SPAN_MS);
    const r: RoleAssignment = { id: `r-${i}`, boardId: 'bench', role: pick(roleNames), userId: holder.userId, userName: holder.name, assignedBy: user(), takenAt };
    if (random() < 0.7) r.handedOverAt = takenAt + int(3600_000);
    roles.push(r);
  }

  // BoardDoc.read() returns records in the replicas' agreed order; so does this generator.
  const byTimeThenId = <T extends { id: string }>(t: (x: T) => number) => (a: T, b: T) =>
    t(a) - t(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  cards.sort(byTimeThenId((c) => c.createdAt));
  links.sort(byTimeThenId((l) => l.createdAt));
  statusLog.sort(byTimeThenId((s) => s.at));
  callouts.sort(byTimeThenId((c) => c.createdAt));
  roles.sort(byTimeThenId((r) => r.takenAt));

  return {
    board: {
      meta: { schemaVersion: 1, id: 'bench', title: 'Benchmark board', status: 'resolved', outcome: 'escalated-to-incident', createdAt: START, createdBy: 'user-0', closedAt: START + SPAN_MS },
      cards,
      links,
      statusLog,
      participants,
    },
    callouts,
    roles,
  };
}
