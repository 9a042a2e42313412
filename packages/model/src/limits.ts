// Every size and range limit of the model, in one place, so the server, the web app and the validators
// agree. The limits exist to keep one hostile or buggy client from bloating a board for everyone.

/** Ids of boards, cards, links, users, callouts: 1–64 chars of [A-Za-z0-9_-]. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_MAX_LENGTH = 64;

/** Card, board and callout titles. */
export const TITLE_MAX_LENGTH = 300;
/** Card body text. */
export const BODY_MAX_LENGTH = 100_000;
/** The board's summary (written at the end of an investigation). */
export const SUMMARY_MAX_LENGTH = 20_000;
/** A person's display name. */
export const NAME_MAX_LENGTH = 100;
/** CSS colour string of a participant (`#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(…)`, `hsl(…)`). */
export const COLOR_MAX_LENGTH = 40;
export const COLOR_PATTERN =
  /^(?:#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|(?:rgba?|hsla?)\([0-9a-z.,%\s/+-]{1,30}\))$/;

/** Evidence source value: a URL, query or command can be long, but not unbounded. */
export const SOURCE_VALUE_MAX_LENGTH = 10_000;
export const SOURCE_LABEL_MAX_LENGTH = 300;

export const TAG_MAX_LENGTH = 64;
export const TAGS_MAX_COUNT = 32;

/** Free text attached to links, status changes, callout read-backs and withdraw reasons. */
export const NOTE_MAX_LENGTH = 2_000;
/** Callout issue / noticed-how / intent. */
export const CALLOUT_TEXT_MAX_LENGTH = 2_000;

/** Canvas coordinates: far enough for any real board, small enough to stay exact in floats. */
export const COORDINATE_MAX_ABS = 10_000_000;
/** Card width and height in canvas units. */
export const CARD_SIZE_MIN = 1;
export const CARD_SIZE_MAX = 100_000;

/** Timestamps are ms since the epoch; ECMAScript's Date range. */
export const TIMESTAMP_MIN = 0;
export const TIMESTAMP_MAX = 8.64e15;
/** A client clock can be off, but not by more than about 30 years. */
export const CLOCK_OFFSET_MAX_ABS_MS = 1e12;

/** How long an addressee may have to acknowledge a callout. */
export const ACK_WITHIN_SECONDS_MAX = 7 * 24 * 3600;
