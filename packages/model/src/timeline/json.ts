// JSON export: the Timeline as is, wrapped with a schema name and version so readers can tell what they
// hold. TIMELINE_JSON_SCHEMA documents the format (JSON Schema draft 2020-12); validateTimelineJson checks a
// parsed document against that same schema object and hands back the Timeline.
import { BOARD_OUTCOMES, BOARD_STATUSES, SEVERITIES } from '../records/board';
import { CALLOUT_STATES, CALLOUT_URGENCIES } from '../records/callout';
import { ACTION_STATES, CARD_KINDS, HYPOTHESIS_STATUSES } from '../records/card';
import { LINK_RELATIONS } from '../records/link';
import { ROLE_NAMES } from '../records/role';
import type { Result, ValidationError } from '../result';
import type { JsonSchema } from './json-schema-check';
import { checkAgainstSchema } from './json-schema-check';
import type { ContributorRole, Timeline, TimelineEventKind, WarningCode } from './types';

export const TIMELINE_JSON_SCHEMA_NAME = 'redstring.timeline';
export const TIMELINE_JSON_VERSION = 1;

export interface TimelineJson extends Timeline {
  schema: typeof TIMELINE_JSON_SCHEMA_NAME;
  version: typeof TIMELINE_JSON_VERSION;
}

/** Every member of a string union, checked exhaustive by the compiler. */
function members<T extends string>(all: Record<T, true>): T[] {
  return Object.keys(all) as T[];
}

const EVENT_KINDS = members<TimelineEventKind>({
  'board-created': true,
  'card-created': true,
  'action-done': true,
  'hypothesis-status-changed': true,
  'link-created': true,
  'callout-sent': true,
  'callout-acknowledged': true,
  'callout-escalated': true,
  'callout-withdrawn': true,
  'callout-closed': true,
  'role-taken': true,
  'role-handed-over': true,
  'board-closed': true,
});

const WARNING_CODES = members<WarningCode>({
  'evidence-without-observed-at': true,
  'hypothesis-unresolved': true,
  'callout-unacknowledged': true,
  'link-to-deleted-card': true,
  'reference-to-deleted-card': true,
  'time-out-of-order': true,
  'clock-skew': true,
  'future-timestamp': true,
  'invalid-time': true,
  'invalid-record': true,
});

const CONTRIBUTOR_ROLES = members<ContributorRole>({
  trigger: true,
  enabler: true,
  'led-to': true,
  'confirmed-hypothesis': true,
});

const ms = (description: string): JsonSchema => ({ type: 'number', description });
const msOrNull = (description: string): JsonSchema => ({ type: ['number', 'null'], description });
const str = (description?: string): JsonSchema => (description ? { type: 'string', description } : { type: 'string' });
const oneOf = (values: readonly string[], description?: string): JsonSchema =>
  description ? { type: 'string', enum: [...values], description } : { type: 'string', enum: [...values] };
const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const list = (items: JsonSchema, description?: string): JsonSchema =>
  description ? { type: 'array', items, description } : { type: 'array', items };
const nullable = (schema: JsonSchema, description: string): JsonSchema => ({
  anyOf: [schema, { type: 'null' }],
  description,
});
const count = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });

function object(properties: Record<string, JsonSchema>, required: string[], description?: string): JsonSchema {
  const schema: JsonSchema = { type: 'object', properties, required, additionalProperties: false };
  if (description) schema.description = description;
  return schema;
}

/**
 * JSON Schema (draft 2020-12) of `exportJson`'s output. Times are milliseconds since the Unix epoch (UTC);
 * durations are milliseconds. Optional properties are absent rather than null; `null` means "not known".
 */
export const TIMELINE_JSON_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://redstring.invalid/schemas/timeline-v1.json',
  title: 'Redstring timeline',
  description:
    'A board turned into a timeline: ordered events, parallel threads, false leads, callouts, contributors, mitigators, follow-ups, participants and coherence warnings.',
  type: 'object',
  required: [
    'schema',
    'version',
    'board',
    'span',
    'triggeringEvent',
    'events',
    'threads',
    'falseLeads',
    'callouts',
    'contributors',
    'mitigators',
    'followUps',
    'openQuestions',
    'participants',
    'warnings',
    'settings',
  ],
  additionalProperties: false,
  properties: {
    schema: { const: TIMELINE_JSON_SCHEMA_NAME, description: 'Always "redstring.timeline".' },
    version: { const: TIMELINE_JSON_VERSION, description: 'Format version; this schema describes version 1.' },
    board: ref('board'),
    span: ref('span'),
    triggeringEvent: nullable(ref('triggeringEvent'), 'What set things off, or null if the board names nothing.'),
    events: list(ref('event'), 'Every event, ordered by time, then recordedAt, then kind, then id.'),
    threads: list(ref('thread'), 'The general thread first, then one per theory or free-standing hypothesis.'),
    falseLeads: list(ref('falseLead'), 'Hypotheses that ended ruled out, in the order they were raised.'),
    callouts: list(ref('callout')),
    contributors: list(ref('contributor')),
    mitigators: list(ref('mitigator')),
    followUps: list(ref('followUp')),
    openQuestions: list(ref('openQuestion')),
    participants: list(ref('participant')),
    warnings: list(ref('warning')),
    settings: ref('settings'),
  },
  $defs: {
    person: object({ userId: str(), name: str('Display name (the user id when no name is known).') }, [
      'userId',
      'name',
    ]),
    cardRef: object({ cardId: str(), title: str('The card title, or "(deleted card <id>)".') }, ['cardId', 'title']),
    board: object(
      {
        id: str(),
        title: str(),
        status: oneOf(BOARD_STATUSES),
        outcome: oneOf(BOARD_OUTCOMES),
        severity: oneOf(SEVERITIES),
        summary: str(),
        createdAt: ms('When the board was opened.'),
        createdBy: ref('person'),
        closedAt: ms('When the board was closed.'),
      },
      ['id', 'title', 'status', 'createdAt', 'createdBy'],
    ),
    span: object(
      {
        start: msOrNull('Earliest event time (can precede the board: evidence observed before anyone posted).'),
        end: msOrNull('closedAt for a closed board, else the latest event time.'),
        durationMs: msOrNull('end − start.'),
      },
      ['start', 'end', 'durationMs'],
    ),
    triggeringEvent: object(
      {
        cardId: str(),
        title: str(),
        time: msOrNull('When it happened.'),
        basis: oneOf(['trigger-link', 'first-evidence'], 'Named by a "triggers" link, or the earliest evidence.'),
        triggers: list(ref('cardRef')),
      },
      ['cardId', 'title', 'time', 'basis', 'triggers'],
    ),
    event: object(
      {
        id: str('Stable id derived from the record, e.g. "card:<id>".'),
        time: msOrNull('When it happened: observedAt for evidence when known, else recordedAt; null if unknown.'),
        timeSource: oneOf(['observed', 'recorded']),
        recordedAt: msOrNull('When it was written down on the board.'),
        noticedAt: ms('When the team noticed it (only when different from time and recordedAt).'),
        actor: nullable(ref('person'), 'Null for what the system did by itself.'),
        kind: oneOf(EVENT_KINDS),
        cardKind: oneOf(CARD_KINDS),
        statusFrom: oneOf(HYPOTHESIS_STATUSES),
        statusTo: oneOf(HYPOTHESIS_STATUSES),
        relation: oneOf(LINK_RELATIONS),
        calloutId: str(),
        role: oneOf(ROLE_NAMES),
        text: str('One sentence describing the event (without the actor).'),
        cardIds: list(str()),
        threadId: str(),
      },
      ['id', 'time', 'timeSource', 'recordedAt', 'actor', 'kind', 'text', 'cardIds', 'threadId'],
    ),
    thread: object(
      {
        id: str('"general", "theory:<cardId>" or "hypothesis:<cardId>".'),
        kind: oneOf(['theory', 'hypothesis', 'general']),
        cardId: str(),
        title: str(),
        hypotheses: list(
          object({ cardId: str(), title: str(), status: oneOf(HYPOTHESIS_STATUSES) }, ['cardId', 'title', 'status']),
        ),
        eventIds: list(str(), 'The thread\'s events, in timeline order.'),
        start: msOrNull('First event time.'),
        end: msOrNull('Last event time.'),
      },
      ['id', 'kind', 'title', 'hypotheses', 'eventIds', 'start', 'end'],
    ),
    falseLead: object(
      {
        cardId: str(),
        title: str(),
        raisedBy: ref('person'),
        raisedAt: msOrNull('The hypothesis card\'s createdAt.'),
        ruledOutAt: msOrNull('First status change to ruled-out.'),
        ruledOutBy: nullable(ref('person'), 'Who ruled it out (null when unknown).'),
        costMs: msOrNull('ruledOutAt − raisedAt.'),
        reason: str(),
        refutedBy: list(ref('cardRef')),
        threadId: str(),
      },
      ['cardId', 'title', 'raisedBy', 'raisedAt', 'ruledOutAt', 'ruledOutBy', 'costMs', 'reason', 'refutedBy', 'threadId'],
    ),
    callout: object(
      {
        id: str(),
        from: ref('person'),
        to: object(
          { kind: oneOf(['user', 'role']), userId: str(), role: oneOf(ROLE_NAMES), label: str() },
          ['kind', 'label'],
        ),
        issue: str(),
        noticedHow: str(),
        intent: str(),
        cardId: str(),
        urgency: oneOf(CALLOUT_URGENCIES),
        state: oneOf(CALLOUT_STATES),
        createdAt: ms('Server time it was sent.'),
        ackDeadline: ms('Acknowledge by this time or it is escalated.'),
        acknowledgedAt: ms('Server time of the acknowledgement.'),
        acknowledgedBy: ref('person'),
        readBack: str(),
        escalatedAt: ms('When it was escalated.'),
        withdrawnAt: ms('When the sender withdrew it.'),
        withdrawReason: str(),
        closedAt: ms('When it was closed.'),
        ackLatencyMs: msOrNull('acknowledgedAt − createdAt; null while unacknowledged.'),
        unacknowledged: { type: 'boolean', description: 'Still open or escalated.' },
        escalated: { type: 'boolean' },
        withdrawn: { type: 'boolean' },
        lateAck: { type: 'boolean', description: 'Acknowledged after its deadline.' },
      },
      [
        'id',
        'from',
        'to',
        'issue',
        'noticedHow',
        'intent',
        'urgency',
        'state',
        'createdAt',
        'ackDeadline',
        'ackLatencyMs',
        'unacknowledged',
        'escalated',
        'withdrawn',
        'lateAck',
      ],
    ),
    contributor: object(
      {
        cardId: str(),
        kind: oneOf(CARD_KINDS),
        title: str(),
        roles: list(oneOf(CONTRIBUTOR_ROLES)),
        affects: list(ref('cardRef'), 'Cards it triggered, enabled or led to.'),
        author: ref('person'),
      },
      ['cardId', 'kind', 'title', 'roles', 'affects', 'author'],
    ),
    mitigator: object(
      {
        cardId: str(),
        kind: oneOf(CARD_KINDS),
        title: str(),
        mitigates: list(ref('cardRef')),
        actionState: oneOf(ACTION_STATES),
        doneAt: ms('When the action was done.'),
        owner: ref('person'),
        author: ref('person'),
      },
      ['cardId', 'kind', 'title', 'mitigates', 'author'],
    ),
    followUp: object(
      {
        cardId: str(),
        kind: oneOf(CARD_KINDS),
        title: str(),
        owner: ref('person'),
        author: ref('person'),
        actionState: oneOf(ACTION_STATES),
      },
      ['cardId', 'kind', 'title', 'author'],
    ),
    openQuestion: object({ cardId: str(), title: str(), askedBy: ref('person'), askedAt: msOrNull('When it was asked.') }, [
      'cardId',
      'title',
      'askedBy',
      'askedAt',
    ]),
    participant: object(
      {
        userId: str(),
        name: str(),
        color: str(),
        firstSeenAt: ms('First time on the board.'),
        lastSeenAt: ms('Last time on the board.'),
        clockOffsetMs: ms('serverTime ≈ clientTime + clockOffsetMs, as last measured.'),
        activity: object(
          {
            cardsCreated: count('Cards of any kind.'),
            hypothesesRaised: count('Hypothesis cards.'),
            evidenceAdded: count('Evidence cards.'),
            actionsCreated: count('Action cards.'),
            actionsDone: count('Done actions they own (or authored, when unowned).'),
            statusChanges: count('Hypothesis status changes.'),
            linksCreated: count('Links.'),
            calloutsSent: count('Callouts sent.'),
            calloutsAcknowledged: count('Callouts acknowledged.'),
          },
          [
            'cardsCreated',
            'hypothesesRaised',
            'evidenceAdded',
            'actionsCreated',
            'actionsDone',
            'statusChanges',
            'linksCreated',
            'calloutsSent',
            'calloutsAcknowledged',
          ],
        ),
        roles: list(
          object(
            { role: oneOf(ROLE_NAMES), takenAt: ms('When taken.'), handedOverAt: ms('When handed over.'), assignedBy: ref('person') },
            ['role', 'takenAt', 'assignedBy'],
          ),
        ),
      },
      ['userId', 'name', 'activity', 'roles'],
    ),
    warning: object(
      { code: oneOf(WARNING_CODES), message: str(), cardIds: list(str()) },
      ['code', 'message'],
      'Something a reviewer should check before trusting the timeline.',
    ),
    settings: object(
      {
        clockSkewThresholdMs: { type: 'number', minimum: 0, description: 'Clock disagreement tolerated before a warning.' },
        now: ms('The "now" the future-timestamp check used.'),
      },
      ['clockSkewThresholdMs'],
    ),
  },
};

export function exportJson(timeline: Timeline): string {
  const doc: TimelineJson = { schema: TIMELINE_JSON_SCHEMA_NAME, version: TIMELINE_JSON_VERSION, ...timeline };
  return JSON.stringify(doc, null, 2);
}

/** Checks a parsed document against TIMELINE_JSON_SCHEMA; on success returns the Timeline inside it. */
export function validateTimelineJson(input: unknown): Result<Timeline, ValidationError> {
  const violation = checkAgainstSchema(input, TIMELINE_JSON_SCHEMA);
  if (violation) return { ok: false, error: violation };
  const { schema: _schema, version: _version, ...timeline } = input as TimelineJson;
  return { ok: true, value: timeline };
}

/** JSON text → Timeline, for reading an export back (never throws). */
export function parseTimelineJson(text: string): Result<Timeline, ValidationError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: { path: '', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` } };
  }
  return validateTimelineJson(parsed);
}
