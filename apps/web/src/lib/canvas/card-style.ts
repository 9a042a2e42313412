// Visual language of the board: one colour and one icon per card kind, one stroke per link relation.
// Colours are from a colour-blind-safe family and always paired with an icon and a text label.
import type { ActionState, CardKind, HypothesisStatus, LinkRelation } from '@redstring/model';

export interface KindStyle {
  label: string;
  /** Accent: header text, icon, outline. Contrast ≥ 4.5:1 on white and on `tint`. */
  accent: string;
  /** Header band fill. */
  tint: string;
  /** 24×24 stroke icon, SVG path syntax (usable by Path2D and <svg>). */
  icon: string;
  shortcut: string;
  hint: string;
}

export const KIND_STYLES: Record<CardKind, KindStyle> = {
  theory: {
    label: 'Theory',
    accent: '#7a3fd1',
    tint: '#f1eafd',
    icon: 'M9 18h6 M10 21h4 M12 3a6 6 0 0 0-3.6 10.8c.7.6 1.1 1.3 1.1 2.2h5c0-.9.4-1.6 1.1-2.2A6 6 0 0 0 12 3z',
    shortcut: '1',
    hint: 'A broad idea about what is going on',
  },
  hypothesis: {
    label: 'Hypothesis',
    accent: '#0a5cc2',
    tint: '#e6f0fd',
    icon: 'M9 3h6 M10 3v6.5L4.6 18.4A1.8 1.8 0 0 0 6.2 21h11.6a1.8 1.8 0 0 0 1.6-2.6L14 9.5V3 M7.2 15h9.6',
    shortcut: '2',
    hint: 'A testable claim: rule it in or out',
  },
  evidence: {
    label: 'Evidence',
    accent: '#146c2e',
    tint: '#e5f5ea',
    icon: 'M17.5 10.5a7 7 0 1 1-14 0a7 7 0 1 1 14 0z M15.5 15.5L21 21',
    shortcut: '3',
    hint: 'Something observed: a graph, log line, query result',
  },
  action: {
    label: 'Action',
    accent: '#a84300',
    tint: '#fdeedf',
    icon: 'M13 2L4.5 13.5H11L10 22l8.5-11.5H12L13 2z',
    shortcut: '4',
    hint: 'Something someone does: rollback, restart, page',
  },
  question: {
    label: 'Question',
    accent: '#a8306f',
    tint: '#fcebf4',
    icon: 'M12 21.5a9.5 9.5 0 1 0 0-19a9.5 9.5 0 1 0 0 19z M9.2 9.2a2.9 2.9 0 0 1 5.6 1c0 1.9-2.8 2.6-2.8 2.6 M12 17h.01',
    shortcut: '5',
    hint: 'An open question someone should answer',
  },
  note: {
    label: 'Note',
    accent: '#7a5a00',
    tint: '#fdf5d3',
    icon: 'M5 3h14v12l-6 6H5z M13 21v-6h6',
    shortcut: '6',
    hint: 'Anything else worth keeping',
  },
};

export const CARD_KIND_ORDER: CardKind[] = ['theory', 'hypothesis', 'evidence', 'action', 'question', 'note'];

export interface RelationStyle {
  label: string;
  color: string;
  width: number;
  dash: number[];
  /** Sentence used in the relation picker: "A supports B". */
  verb: string;
}

export const RELATION_STYLES: Record<LinkRelation, RelationStyle> = {
  supports: { label: 'supports', color: '#1a7f37', width: 2.5, dash: [], verb: 'supports' },
  refutes: { label: 'refutes', color: '#cf222e', width: 3, dash: [12, 7], verb: 'refutes' },
  'part-of': { label: 'part of', color: '#6e7781', width: 2, dash: [2, 5], verb: 'is part of' },
  'leads-to': { label: 'leads to', color: '#0a5cc2', width: 2, dash: [], verb: 'leads to' },
  triggers: { label: 'triggers', color: '#a84300', width: 2.5, dash: [], verb: 'triggers' },
  enables: { label: 'enables', color: '#7a3fd1', width: 2, dash: [8, 4, 2, 4], verb: 'enables' },
  mitigates: { label: 'mitigates', color: '#0b7a84', width: 2.5, dash: [], verb: 'mitigates' },
};

export const RELATION_ORDER: LinkRelation[] = ['supports', 'refutes', 'leads-to', 'triggers', 'enables', 'mitigates', 'part-of'];

/** The relation the picker offers first, from what is being connected. */
export function suggestedRelation(from: CardKind, to: CardKind): LinkRelation {
  if (from === 'evidence' && (to === 'hypothesis' || to === 'theory')) return 'supports';
  if (from === 'action') return 'mitigates';
  if (from === 'hypothesis' && to === 'theory') return 'part-of';
  return 'leads-to';
}

export interface StatusStyle {
  label: string;
  color: string;
  background: string;
}

export const HYPOTHESIS_STATUS_STYLES: Record<HypothesisStatus, StatusStyle> = {
  open: { label: 'Open', color: '#57606a', background: '#eef1f4' },
  investigating: { label: 'Investigating', color: '#0a5cc2', background: '#ddeafc' },
  supported: { label: 'Supported', color: '#146c2e', background: '#dcf3e3' },
  'ruled-out': { label: 'Ruled out', color: '#b3131f', background: '#fde2e3' },
  confirmed: { label: 'Confirmed', color: '#ffffff', background: '#146c2e' },
};

export const HYPOTHESIS_STATUS_ORDER: HypothesisStatus[] = ['open', 'investigating', 'supported', 'ruled-out', 'confirmed'];

export const ACTION_STATE_STYLES: Record<ActionState, StatusStyle> = {
  planned: { label: 'Planned', color: '#57606a', background: '#eef1f4' },
  'in-progress': { label: 'In progress', color: '#a84300', background: '#fdeedf' },
  done: { label: 'Done', color: '#146c2e', background: '#dcf3e3' },
  abandoned: { label: 'Abandoned', color: '#6e7781', background: '#eef1f4' },
};

/** Colours offered on first visit; distinct from the card kinds so cursors do not read as cards. */
export const PERSON_COLORS = ['#e5484d', '#f76b15', '#ffb224', '#30a46c', '#12a594', '#0090ff', '#3e63dd', '#8e4ec6', '#d6409f', '#6f6e77'];
