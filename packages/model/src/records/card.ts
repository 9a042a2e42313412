// Cards: the things pinned on the board. One interface for all kinds; kind-specific fields are optional.
import type { Result } from '../result';
import { ok } from '../result';
import {
  BODY_MAX_LENGTH,
  CARD_SIZE_MAX,
  CARD_SIZE_MIN,
  COORDINATE_MAX_ABS,
  SOURCE_LABEL_MAX_LENGTH,
  SOURCE_VALUE_MAX_LENGTH,
  TAG_MAX_LENGTH,
  TAGS_MAX_COUNT,
  TITLE_MAX_LENGTH,
} from '../limits';
import {
  FieldReader,
  arrayOf,
  booleanValue,
  idString,
  numberOf,
  oneOf,
  safely,
  stringOf,
  timestamp,
  withoutUndefined,
  type Validator,
} from '../validate';

export const CARD_KINDS = ['theory', 'hypothesis', 'evidence', 'action', 'question', 'note'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

export const HYPOTHESIS_STATUSES = ['open', 'investigating', 'supported', 'ruled-out', 'confirmed'] as const;
export type HypothesisStatus = (typeof HYPOTHESIS_STATUSES)[number];

export const EVIDENCE_SOURCE_KINDS = ['url', 'query', 'command', 'dashboard', 'log', 'other'] as const;
export type EvidenceSourceKind = (typeof EVIDENCE_SOURCE_KINDS)[number];

export interface EvidenceSource {
  kind: EvidenceSourceKind;
  value: string;
  label?: string;
}

export const ACTION_STATES = ['planned', 'in-progress', 'done', 'abandoned'] as const;
export type ActionState = (typeof ACTION_STATES)[number];

/** A snapshot (plain data) of one card. */
export interface Card {
  id: string;
  kind: CardKind;
  title: string;
  body: string;
  /** userId of whoever created the card. */
  author: string;
  x: number;
  y: number;
  w: number;
  h: number;
  createdAt: number;
  updatedAt: number;
  // evidence: where it came from, when it happened in the system, when the team noticed it
  source?: EvidenceSource;
  observedAt?: number;
  noticedAt?: number;
  /** hypothesis only: derived from the status log ('open' if it has no entries); never stored on the card. */
  status?: HypothesisStatus;
  // action
  actionState?: ActionState;
  doneAt?: number;
  owner?: string;
  // question
  answered?: boolean;
  /** Flagged as a follow-up item for the post-incident document. */
  followUp?: boolean;
  tags?: string[];
}

export const DEFAULT_CARD_SIZE: Readonly<Record<CardKind, { w: number; h: number }>> = {
  theory: { w: 240, h: 140 },
  hypothesis: { w: 240, h: 140 },
  evidence: { w: 260, h: 160 },
  action: { w: 220, h: 120 },
  question: { w: 220, h: 120 },
  note: { w: 200, h: 120 },
};

export const cardKind = oneOf(CARD_KINDS);
export const hypothesisStatus = oneOf(HYPOTHESIS_STATUSES);
export const actionState = oneOf(ACTION_STATES);
export const cardTitle = stringOf({ max: TITLE_MAX_LENGTH });
export const cardBody = stringOf({ max: BODY_MAX_LENGTH });
export const coordinate = numberOf({ min: -COORDINATE_MAX_ABS, max: COORDINATE_MAX_ABS });
export const cardSize = numberOf({ min: CARD_SIZE_MIN, max: CARD_SIZE_MAX });
export const tagList = arrayOf(stringOf({ min: 1, max: TAG_MAX_LENGTH }), { max: TAGS_MAX_COUNT });

export const evidenceSource: Validator<EvidenceSource> = (input, path) => {
  const r = new FieldReader(input, path);
  const source: EvidenceSource = {
    kind: r.required('kind', oneOf(EVIDENCE_SOURCE_KINDS)),
    value: r.required('value', stringOf({ min: 1, max: SOURCE_VALUE_MAX_LENGTH })),
    label: r.optional('label', stringOf({ max: SOURCE_LABEL_MAX_LENGTH })),
  };
  return r.error ? r.fail() : ok(withoutUndefined(source));
};

/** The card's fields other than id/kind/author/createdAt, as an `updateCard` patch may set them. */
export const cardFieldValidators = {
  title: cardTitle,
  body: cardBody,
  x: coordinate,
  y: coordinate,
  w: cardSize,
  h: cardSize,
  updatedAt: timestamp,
  source: evidenceSource,
  observedAt: timestamp,
  noticedAt: timestamp,
  actionState,
  doneAt: timestamp,
  owner: idString,
  answered: booleanValue,
  followUp: booleanValue,
  tags: tagList,
} satisfies Record<string, Validator<unknown>>;

export const validateCard: (input: unknown) => Result<Card> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const v = cardFieldValidators;
  const card: Card = {
    id: r.required('id', idString),
    kind: r.required('kind', cardKind),
    title: r.required('title', v.title),
    body: r.required('body', v.body),
    author: r.required('author', idString),
    x: r.required('x', v.x),
    y: r.required('y', v.y),
    w: r.required('w', v.w),
    h: r.required('h', v.h),
    createdAt: r.required('createdAt', timestamp),
    updatedAt: r.required('updatedAt', v.updatedAt),
    source: r.optional('source', v.source),
    observedAt: r.optional('observedAt', v.observedAt),
    noticedAt: r.optional('noticedAt', v.noticedAt),
    status: r.optional('status', hypothesisStatus),
    actionState: r.optional('actionState', v.actionState),
    doneAt: r.optional('doneAt', v.doneAt),
    owner: r.optional('owner', v.owner),
    answered: r.optional('answered', v.answered),
    followUp: r.optional('followUp', v.followUp),
    tags: r.optional('tags', v.tags),
  };
  return r.error ? r.fail() : ok(withoutUndefined(card));
});

export function isCard(input: unknown): input is Card {
  return validateCard(input).ok;
}

export function isHypothesis(card: Pick<Card, 'kind'>): boolean {
  return card.kind === 'hypothesis';
}
