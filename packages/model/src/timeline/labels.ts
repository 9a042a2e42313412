// Words a reader sees for enum values, shared by the event texts and the exporters.
import type { BoardOutcome } from '../records/board';
import type { CardKind, HypothesisStatus } from '../records/card';
import type { LinkRelation } from '../records/link';
import type { RoleName } from '../records/role';

export const STATUS_LABEL: Readonly<Record<HypothesisStatus, string>> = {
  open: 'open',
  investigating: 'investigating',
  supported: 'supported',
  'ruled-out': 'ruled out',
  confirmed: 'confirmed',
};

export const RELATION_LABEL: Readonly<Record<LinkRelation, string>> = {
  supports: 'supports',
  refutes: 'refutes',
  'part-of': 'is part of',
  'leads-to': 'leads to',
  triggers: 'triggers',
  enables: 'enables',
  mitigates: 'mitigates',
};

export const CARD_KIND_LABEL: Readonly<Record<CardKind, string>> = {
  theory: 'theory',
  hypothesis: 'hypothesis',
  evidence: 'evidence',
  action: 'action',
  question: 'question',
  note: 'note',
};

export const OUTCOME_LABEL: Readonly<Record<BoardOutcome, string>> = {
  'no-impact': 'no impact',
  'bug-filed': 'bug filed',
  'escalated-to-incident': 'escalated to incident',
  'runbook-written': 'runbook written',
};

export const ROLE_LABEL: Readonly<Record<RoleName, string>> = {
  commander: 'commander',
  scribe: 'scribe',
  communications: 'communications',
  responder: 'responder',
  observer: 'observer',
};

/** Long source values (queries, URLs) are cut for one-line texts; the card keeps the whole value. */
export function clip(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function quoted(text: string): string {
  return `"${text}"`;
}
