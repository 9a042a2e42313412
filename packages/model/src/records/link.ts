// Links: the red string between two cards, with what the connection means.
import type { Result } from '../result';
import { invalid, ok } from '../result';
import { NOTE_MAX_LENGTH } from '../limits';
import { FieldReader, idString, oneOf, safely, stringOf, timestamp, withoutUndefined } from '../validate';

export const LINK_RELATIONS = ['supports', 'refutes', 'part-of', 'leads-to', 'triggers', 'enables', 'mitigates'] as const;
export type LinkRelation = (typeof LINK_RELATIONS)[number];

export interface Link {
  id: string;
  /** Card ids. The cards may since have been deleted; readers must tolerate that. */
  from: string;
  to: string;
  relation: LinkRelation;
  author: string;
  createdAt: number;
  note?: string;
}

export const linkRelation = oneOf(LINK_RELATIONS);
export const linkNote = stringOf({ max: NOTE_MAX_LENGTH });

export const validateLink: (input: unknown) => Result<Link> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const link: Link = {
    id: r.required('id', idString),
    from: r.required('from', idString),
    to: r.required('to', idString),
    relation: r.required('relation', linkRelation),
    author: r.required('author', idString),
    createdAt: r.required('createdAt', timestamp),
    note: r.optional('note', linkNote),
  };
  if (r.error) return r.fail();
  if (link.from === link.to) return invalid('to', 'a link must connect two different cards');
  return ok(withoutUndefined(link));
});

export function isLink(input: unknown): input is Link {
  return validateLink(input).ok;
}
