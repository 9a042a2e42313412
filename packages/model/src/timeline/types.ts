// The Timeline: what a finished (or still running) board turns into for review. Plain data only, so it
// serialises to JSON as is and every exporter reads the same structure.
import type { BoardOutcome, BoardStatus, Severity } from '../records/board';
import type { ActionState, CardKind, HypothesisStatus } from '../records/card';
import type { LinkRelation } from '../records/link';
import type { CalloutState, CalloutUrgency } from '../records/callout';
import type { RoleName } from '../records/role';

/** Someone who did something: the user id plus the display name known for it. */
export interface Person {
  userId: string;
  name: string;
}

export type TimelineEventKind =
  | 'board-created'
  | 'card-created'
  | 'action-done'
  | 'hypothesis-status-changed'
  | 'link-created'
  | 'callout-sent'
  | 'callout-acknowledged'
  | 'callout-escalated'
  | 'callout-withdrawn'
  | 'callout-closed'
  | 'role-taken'
  | 'role-handed-over'
  | 'board-closed';

/** Which clock the event's `time` comes from: when it happened in the system, or when it was written down. */
export type TimeSource = 'observed' | 'recorded';

export interface TimelineEvent {
  /** Stable id derived from the record (e.g. `card:<id>`, `status:<id>`), identical on every replica. */
  id: string;
  /** When it happened: evidence `observedAt` if known, otherwise when recorded. Null if no valid time. */
  time: number | null;
  timeSource: TimeSource;
  /** When it was written down on the board (or stamped by the server). Null if not a valid time. */
  recordedAt: number | null;
  /** When the team noticed it, only when that differs from both `time` and `recordedAt`. */
  noticedAt?: number;
  /** Null for what the system did by itself (a callout escalated at its deadline). */
  actor: Person | null;
  kind: TimelineEventKind;
  /** Set for card-created events. */
  cardKind?: CardKind;
  /** Set for hypothesis-status-changed events. */
  statusFrom?: HypothesisStatus;
  statusTo?: HypothesisStatus;
  /** Set for link-created events. */
  relation?: LinkRelation;
  /** Set for callout-* events. */
  calloutId?: string;
  /** Set for role-* events. */
  role?: RoleName;
  /** One sentence a reader understands without the board. Does not repeat the actor. */
  text: string;
  /** Cards the event is about (existing or not: a deleted card's id is kept, and warned about). */
  cardIds: readonly string[];
  threadId: string;
}

export type ThreadKind = 'theory' | 'hypothesis' | 'general';

export const GENERAL_THREAD_ID = 'general';

export interface ThreadHypothesis {
  cardId: string;
  title: string;
  status: HypothesisStatus;
}

export interface TimelineThread {
  /** `general`, `theory:<cardId>` or `hypothesis:<cardId>`. */
  id: string;
  kind: ThreadKind;
  /** The theory or hypothesis card the thread follows (absent for the general thread). */
  cardId?: string;
  title: string;
  /** The hypotheses followed in this thread (the hypothesis itself, or those part of the theory). */
  hypotheses: ThreadHypothesis[];
  /** Ids of this thread's events, in timeline order. */
  eventIds: string[];
  /** Time of its first and last event (null when it has no timed event). */
  start: number | null;
  end: number | null;
}

export interface CardRef {
  cardId: string;
  title: string;
}

export interface FalseLead {
  cardId: string;
  title: string;
  raisedBy: Person;
  /** The hypothesis card's createdAt (null if the card's time is not valid). */
  raisedAt: number | null;
  /** The first status change to ruled-out (null if the log lacks one even though the card says ruled-out). */
  ruledOutAt: number | null;
  ruledOutBy: Person | null;
  /** ruledOutAt − raisedAt: how long the team carried the lead. */
  costMs: number | null;
  reason: string;
  /** Cards linked to it with `refutes`. */
  refutedBy: CardRef[];
  threadId: string;
}

export interface CalloutAddresseeView {
  kind: 'user' | 'role';
  userId?: string;
  role?: RoleName;
  /** "Ana" or "commander" — what a reader sees. */
  label: string;
}

export interface TimelineCallout {
  id: string;
  from: Person;
  to: CalloutAddresseeView;
  issue: string;
  noticedHow: string;
  intent: string;
  cardId?: string;
  urgency: CalloutUrgency;
  state: CalloutState;
  createdAt: number;
  ackDeadline: number;
  acknowledgedAt?: number;
  acknowledgedBy?: Person;
  readBack?: string;
  escalatedAt?: number;
  withdrawnAt?: number;
  withdrawReason?: string;
  closedAt?: number;
  /** acknowledgedAt − createdAt; null while unacknowledged. */
  ackLatencyMs: number | null;
  /** Still waiting for an acknowledgement (open or escalated). */
  unacknowledged: boolean;
  escalated: boolean;
  withdrawn: boolean;
  /** Acknowledged, but only after its deadline had passed. */
  lateAck: boolean;
}

/** How a card contributed to what happened. */
export type ContributorRole = 'trigger' | 'enabler' | 'led-to' | 'confirmed-hypothesis';

export interface Contributor {
  cardId: string;
  kind: CardKind;
  title: string;
  roles: ContributorRole[];
  /** The cards it triggered, enabled or led to. */
  affects: CardRef[];
  author: Person;
}

export interface Mitigator {
  cardId: string;
  kind: CardKind;
  title: string;
  /** The cards it mitigates. */
  mitigates: CardRef[];
  actionState?: ActionState;
  doneAt?: number;
  owner?: Person;
  author: Person;
}

export interface FollowUp {
  cardId: string;
  kind: CardKind;
  title: string;
  owner?: Person;
  author: Person;
  /** Action cards only: whether it is already done. */
  actionState?: ActionState;
}

export interface OpenQuestion {
  cardId: string;
  title: string;
  askedBy: Person;
  askedAt: number | null;
}

export interface RoleHeld {
  role: RoleName;
  takenAt: number;
  handedOverAt?: number;
  assignedBy: Person;
}

export interface ParticipantActivity {
  cardsCreated: number;
  hypothesesRaised: number;
  evidenceAdded: number;
  actionsCreated: number;
  actionsDone: number;
  statusChanges: number;
  linksCreated: number;
  calloutsSent: number;
  calloutsAcknowledged: number;
}

export interface TimelineParticipant extends Person {
  color?: string;
  firstSeenAt?: number;
  lastSeenAt?: number;
  clockOffsetMs?: number;
  activity: ParticipantActivity;
  roles: RoleHeld[];
}

export type WarningCode =
  | 'evidence-without-observed-at'
  | 'hypothesis-unresolved'
  | 'callout-unacknowledged'
  | 'link-to-deleted-card'
  | 'reference-to-deleted-card'
  | 'time-out-of-order'
  | 'clock-skew'
  | 'future-timestamp'
  | 'invalid-time'
  /** A callout or role record that failed its validator and was left out (named by id when it has one). */
  | 'invalid-record';

export interface CoherenceWarning {
  code: WarningCode;
  message: string;
  cardIds?: string[];
}

export interface TimelineBoard {
  id: string;
  title: string;
  status: BoardStatus;
  outcome?: BoardOutcome;
  severity?: Severity;
  summary?: string;
  createdAt: number;
  createdBy: Person;
  closedAt?: number;
}

export interface TimelineSpan {
  /** Earliest event time (may precede the board: evidence observed before anyone posted). */
  start: number | null;
  /** closedAt for a closed board, otherwise the latest event time. */
  end: number | null;
  durationMs: number | null;
}

/** The event that set things off: the source of a `triggers` link, or else the earliest evidence. */
export interface TriggeringEvent {
  cardId: string;
  title: string;
  time: number | null;
  /** 'trigger-link': named by a `triggers` link; 'first-evidence': the earliest evidence on the board. */
  basis: 'trigger-link' | 'first-evidence';
  /** Cards it triggers (empty for first-evidence). */
  triggers: CardRef[];
}

export interface TimelineSettings {
  clockSkewThresholdMs: number;
  /** The `now` the timeline was built with, if any (used for future-timestamp checks). */
  now?: number;
}

export interface Timeline {
  board: TimelineBoard;
  span: TimelineSpan;
  triggeringEvent: TriggeringEvent | null;
  events: TimelineEvent[];
  threads: TimelineThread[];
  falseLeads: FalseLead[];
  callouts: TimelineCallout[];
  contributors: Contributor[];
  mitigators: Mitigator[];
  followUps: FollowUp[];
  openQuestions: OpenQuestion[];
  participants: TimelineParticipant[];
  warnings: CoherenceWarning[];
  settings: TimelineSettings;
}
