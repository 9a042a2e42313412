// Participants: everyone who has opened the board, with the colour they appear in.
import type { Result } from '../result';
import { ok } from '../result';
import { CLOCK_OFFSET_MAX_ABS_MS, COLOR_MAX_LENGTH, COLOR_PATTERN } from '../limits';
import { FieldReader, idString, numberOf, safely, stringOf, timestamp, withoutUndefined } from '../validate';
import { personName } from './board';

export interface Participant {
  userId: string;
  name: string;
  color: string;
  firstSeenAt: number;
  lastSeenAt: number;
  /** serverTime ≈ clientTime + clockOffsetMs, as last measured for this user. */
  clockOffsetMs?: number;
}

export const participantColor = stringOf({
  min: 1,
  max: COLOR_MAX_LENGTH,
  pattern: COLOR_PATTERN,
  patternHint: 'a CSS colour (#rgb, #rrggbb, #rrggbbaa, rgb(…) or hsl(…))',
});
export const clockOffset = numberOf({ min: -CLOCK_OFFSET_MAX_ABS_MS, max: CLOCK_OFFSET_MAX_ABS_MS });

export const validateParticipant: (input: unknown) => Result<Participant> = safely((input, path) => {
  const r = new FieldReader(input, path);
  const participant: Participant = {
    userId: r.required('userId', idString),
    name: r.required('name', personName),
    color: r.required('color', participantColor),
    firstSeenAt: r.required('firstSeenAt', timestamp),
    lastSeenAt: r.required('lastSeenAt', timestamp),
    clockOffsetMs: r.optional('clockOffsetMs', clockOffset),
  };
  return r.error ? r.fail() : ok(withoutUndefined(participant));
});

export function isParticipant(input: unknown): input is Participant {
  return validateParticipant(input).ok;
}
